#pragma once
// The business service: businesses of an organisation, products with a stock ledger, customers,
// transactions and the business reports. Callers hold a BusinessService&; the composition root
// decides whether it is the implementation (milkyhoop/business/business_factory.hpp) or a gRPC
// client (milkyhoop/business/business_grpc.hpp).
//
// Authorisation is the caller's job (the gateway asks OrgService::Authorize first); the service
// enforces tenancy: every call names org_id and every query is scoped by it, so another
// organisation's business, product or transaction is kNotFound.
//
// Error codes, as the gateway maps them:
//   kInvalidArgument (400)    a field is wrong; field_errors() names it (amounts that overflow,
//                             mixed currencies, unknown products, dates out of range included)
//   kNotFound (404)           no such business / product / customer / transaction in org_id
//   kAlreadyExists (409)      slug or SKU taken
//   kFailedPrecondition (409) not enough stock; the transaction is already voided; an
//                             idempotency key reused with another request

#include "milkyhoop/business/v1/business.pb.h"
#include "milkyhoop/core/status.hpp"

namespace milkyhoop::business {

// v1:: below is the generated milkyhoop::business::v1 (proto/milkyhoop/business/v1/).
class BusinessService {
 public:
  virtual ~BusinessService();

  // Businesses. Lists are in id order (ids are time-ordered); cursors are the last id of a page.
  virtual Result<v1::CreateBusinessResponse> CreateBusiness(
      const v1::CreateBusinessRequest& request) = 0;
  virtual Result<v1::ListBusinessesResponse> ListBusinesses(
      const v1::ListBusinessesRequest& request) = 0;
  virtual Result<v1::GetBusinessResponse> GetBusiness(const v1::GetBusinessRequest& request) = 0;
  virtual Result<v1::UpdateBusinessResponse> UpdateBusiness(
      const v1::UpdateBusinessRequest& request) = 0;
  // Soft delete: the business and everything under it answer kNotFound; its slug is not reused.
  virtual Result<v1::DeleteBusinessResponse> DeleteBusiness(
      const v1::DeleteBusinessRequest& request) = 0;
  // The organisation of a live business or of a transaction of one, for authorising a route
  // addressed by id alone. Unscoped by design: it reveals nothing but the owning org id, which
  // the caller then checks the principal against.
  virtual Result<v1::LocateResponse> Locate(const v1::LocateRequest& request) = 0;

  // Products and their stock ledger.
  virtual Result<v1::CreateProductResponse> CreateProduct(
      const v1::CreateProductRequest& request) = 0;
  virtual Result<v1::ListProductsResponse> ListProducts(const v1::ListProductsRequest& request) = 0;
  virtual Result<v1::GetProductResponse> GetProduct(const v1::GetProductRequest& request) = 0;
  virtual Result<v1::UpdateProductResponse> UpdateProduct(
      const v1::UpdateProductRequest& request) = 0;
  virtual Result<v1::DeleteProductResponse> DeleteProduct(
      const v1::DeleteProductRequest& request) = 0;
  virtual Result<v1::AdjustStockResponse> AdjustStock(const v1::AdjustStockRequest& request) = 0;
  virtual Result<v1::ListStockAdjustmentsResponse> ListStockAdjustments(
      const v1::ListStockAdjustmentsRequest& request) = 0;

  // Customers; the phone number is sealed by the security service and found by blind index.
  virtual Result<v1::CreateCustomerResponse> CreateCustomer(
      const v1::CreateCustomerRequest& request) = 0;
  virtual Result<v1::ListCustomersResponse> ListCustomers(
      const v1::ListCustomersRequest& request) = 0;

  // Transactions. Posting computes the totals, moves stock, updates the report aggregates and
  // appends "business.transaction.posted" in one database transaction.
  virtual Result<v1::PostTransactionResponse> PostTransaction(
      const v1::PostTransactionRequest& request) = 0;
  virtual Result<v1::ListTransactionsResponse> ListTransactions(
      const v1::ListTransactionsRequest& request) = 0;
  virtual Result<v1::GetTransactionResponse> GetTransaction(
      const v1::GetTransactionRequest& request) = 0;
  // Posts a reversal, restores stock and takes the transaction out of the aggregates of the day
  // it happened on.
  virtual Result<v1::VoidTransactionResponse> VoidTransaction(
      const v1::VoidTransactionRequest& request) = 0;

  // Reports, from the daily aggregates.
  virtual Result<v1::ProfitLossResponse> ProfitLoss(const v1::ProfitLossRequest& request) = 0;
  virtual Result<v1::SalesReportResponse> SalesReport(const v1::SalesReportRequest& request) = 0;
  virtual Result<v1::TopProductsResponse> TopProducts(const v1::TopProductsRequest& request) = 0;
  virtual Result<v1::LowStockResponse> LowStock(const v1::LowStockRequest& request) = 0;
};

}  // namespace milkyhoop::business
