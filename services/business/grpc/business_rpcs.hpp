#pragma once
// The list of BusinessService calls, for the adapters: X(Method) for each rpc whose messages are
// v1::<Method>Request and v1::<Method>Response. Adding an rpc to business.proto means adding it
// here (the adapters then fail to compile until the interface has it too).
#define MH_BUSINESS_RPCS(X) \
  X(CreateBusiness)         \
  X(ListBusinesses)         \
  X(GetBusiness)            \
  X(UpdateBusiness)         \
  X(DeleteBusiness)         \
  X(Locate)                 \
  X(CreateProduct)          \
  X(ListProducts)           \
  X(GetProduct)             \
  X(UpdateProduct)          \
  X(DeleteProduct)          \
  X(AdjustStock)            \
  X(ListStockAdjustments)   \
  X(CreateCustomer)         \
  X(ListCustomers)          \
  X(PostTransaction)        \
  X(ListTransactions)       \
  X(GetTransaction)         \
  X(VoidTransaction)        \
  X(ProfitLoss)             \
  X(SalesReport)            \
  X(TopProducts)            \
  X(LowStock)
