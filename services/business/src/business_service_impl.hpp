#pragma once
// The implementation of BusinessService over its own database. Calls are split by subject:
// businesses.cpp, products.cpp, customers.cpp, transactions_post.cpp, transactions_void.cpp,
// transactions_read.cpp, reports.cpp; shared row mapping and scoping in business_rows.cpp.

#include <functional>

#include "milkyhoop/business/business_service.hpp"
#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/security/security_service.hpp"
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::business {

class BusinessServiceImpl final : public BusinessService {
 public:
  BusinessServiceImpl(sql::Database& db, security::SecurityService& security, const Clock& clock)
      : db_(db), security_(security), clock_(clock) {}

  Result<v1::CreateBusinessResponse> CreateBusiness(
      const v1::CreateBusinessRequest& request) override;
  Result<v1::ListBusinessesResponse> ListBusinesses(
      const v1::ListBusinessesRequest& request) override;
  Result<v1::GetBusinessResponse> GetBusiness(const v1::GetBusinessRequest& request) override;
  Result<v1::UpdateBusinessResponse> UpdateBusiness(
      const v1::UpdateBusinessRequest& request) override;
  Result<v1::DeleteBusinessResponse> DeleteBusiness(
      const v1::DeleteBusinessRequest& request) override;
  Result<v1::LocateResponse> Locate(const v1::LocateRequest& request) override;

  Result<v1::CreateProductResponse> CreateProduct(const v1::CreateProductRequest& request) override;
  Result<v1::ListProductsResponse> ListProducts(const v1::ListProductsRequest& request) override;
  Result<v1::GetProductResponse> GetProduct(const v1::GetProductRequest& request) override;
  Result<v1::UpdateProductResponse> UpdateProduct(const v1::UpdateProductRequest& request) override;
  Result<v1::DeleteProductResponse> DeleteProduct(const v1::DeleteProductRequest& request) override;
  Result<v1::AdjustStockResponse> AdjustStock(const v1::AdjustStockRequest& request) override;
  Result<v1::ListStockAdjustmentsResponse> ListStockAdjustments(
      const v1::ListStockAdjustmentsRequest& request) override;

  Result<v1::CreateCustomerResponse> CreateCustomer(
      const v1::CreateCustomerRequest& request) override;
  Result<v1::ListCustomersResponse> ListCustomers(const v1::ListCustomersRequest& request) override;

  Result<v1::PostTransactionResponse> PostTransaction(
      const v1::PostTransactionRequest& request) override;
  Result<v1::ListTransactionsResponse> ListTransactions(
      const v1::ListTransactionsRequest& request) override;
  Result<v1::GetTransactionResponse> GetTransaction(
      const v1::GetTransactionRequest& request) override;
  Result<v1::VoidTransactionResponse> VoidTransaction(
      const v1::VoidTransactionRequest& request) override;

  Result<v1::ProfitLossResponse> ProfitLoss(const v1::ProfitLossRequest& request) override;
  Result<v1::SalesReportResponse> SalesReport(const v1::SalesReportRequest& request) override;
  Result<v1::TopProductsResponse> TopProducts(const v1::TopProductsRequest& request) override;
  Result<v1::LowStockResponse> LowStock(const v1::LowStockRequest& request) override;

 private:
  // PostTransaction's body inside its database transaction.
  Status PostInTransaction(sql::Session& tx, const v1::PostTransactionRequest& request,
                           const std::string& request_hash, v1::PostTransactionResponse* out);

  sql::Database& db_;
  security::SecurityService& security_;
  const Clock& clock_;
};

// Retries `fn` (a whole transaction) while it fails with kAlreadyExists or kAborted: a generated
// value (slug) collided or a concurrent writer won; at most `attempts` times.
Status RetryOnConflict(int attempts, const std::function<Status()>& fn);

}  // namespace milkyhoop::business
