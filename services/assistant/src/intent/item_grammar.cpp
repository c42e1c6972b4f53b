#include "item_grammar.hpp"

#include <optional>

#include "milkyhoop/assistant/rupiah.hpp"

namespace milkyhoop::assistant::intent_internal {
namespace {

constexpr std::size_t kMaxNameWords = 12;

// How a stated price relates to one piece.
enum class Basis {
  kBare,         // no marker: BarePrice decides
  kCountedUnit,  // "harga 1,2jt" for "1 kodi": per counted unit (per kodi)
  kPiece,        // "@", "each", "satuan": per piece, even when counted in dozens
  kNamedUnit,    // "per kg", "/roll": per the named unit
  kTotal,        // "total", "semua", "for": the whole line
};

struct Price {
  Decimal value;
  bool negative = false;
  bool overflow = false;
  Basis basis = Basis::kBare;
  std::int64_t named_multiplier = 1;
};

struct Draft {
  std::vector<std::string> name;
  std::optional<Decimal> quantity;
  bool quantity_negative = false;
  bool quantity_overflow = false;
  std::int64_t unit_multiplier = 1;
  std::string unit;  // canonical unit of a multiplier-1 unit ("kg", "gelas")
  std::string unit_as_written;
  std::optional<Price> price;
  bool after_separator = false;

  bool Empty() const { return name.empty() && !quantity && !price; }
};

struct PendingMark {
  bool active = false;
  Basis basis = Basis::kBare;
  std::int64_t named_multiplier = 1;
};

bool IsWord(const Token& t) { return t.kind == TokenKind::kWord; }
bool Has(const Token& t, Group g) { return IsWord(t) && (t.groups & Bit(g)) != 0; }

std::string JoinName(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) {
    if (!out.empty()) out.push_back(' ');
    out += w;
  }
  return out;
}

class ItemBuilder {
 public:
  ItemBuilder(const std::vector<Token>& tokens, BarePrice bare) : tokens_(tokens), bare_(bare) {}

  ItemsParse Run() {
    for (i_ = 0; i_ < tokens_.size(); ++i_) Step();
    Close(false);
    return std::move(result_);
  }

 private:
  void Step() {
    const Token& t = tokens_[i_];
    switch (t.kind) {
      case TokenKind::kNumber:
        OnNumber(t);
        return;
      case TokenKind::kAt:
        pending_ = {true, Basis::kPiece, 1};
        return;
      case TokenKind::kSlash:
        OnPer();
        return;
      case TokenKind::kComma:
      case TokenKind::kPlus:
        Close(true);
        return;
      case TokenKind::kQuestion:
        return;
      case TokenKind::kWord:
        break;
    }
    if ((t.text == "x" || t.text == "kali") && i_ + 1 < tokens_.size() &&
        tokens_[i_ + 1].kind == TokenKind::kNumber && !tokens_[i_ + 1].money) {
      ++i_;
      MultiplyQuantity(tokens_[i_]);  // "25rb x 40": forty of them
    } else if (Has(t, kSeparator)) {
      Close(true);
    } else if (Has(t, kUnitPriceMark)) {
      pending_ = {true, Basis::kCountedUnit, 1};
    } else if (Has(t, kEachMark)) {
      ApplyOrPend(Basis::kPiece, 1);
      SkipRestOfPhrase();
    } else if (Has(t, kPerMark)) {
      OnPer();
    } else if (Has(t, kTotalMark)) {
      ApplyOrPend(Basis::kTotal, 1);
      SkipRestOfPhrase();
    } else if (IsNameWord(tokens_, i_)) {
      // A word after a complete item starts the next one ("kaos 45rb topi 20rb").
      if (draft_.price && (draft_.quantity || !draft_.name.empty())) Close(false);
      if (draft_.name.size() < kMaxNameWords) draft_.name.push_back(t.text);
    }
  }

  void SkipRestOfPhrase() {
    const Phrase* phrase = tokens_[i_].phrase;
    while (i_ + 1 < tokens_.size() && phrase != nullptr && tokens_[i_ + 1].phrase == phrase) ++i_;
  }

  // "per kg", "/roll", "per orang": the price is per the unit named next (per piece otherwise).
  void OnPer() {
    std::int64_t multiplier = 1;
    if (i_ + 1 < tokens_.size() && IsWord(tokens_[i_ + 1]) && tokens_[i_ + 1].unit != nullptr) {
      multiplier = tokens_[i_ + 1].unit->multiplier;
      ++i_;
    }
    ApplyOrPend(Basis::kNamedUnit, multiplier);
  }

  // A marker after a price refines it ("5k each", "28rb per kg"); before one, it waits for it.
  void ApplyOrPend(Basis basis, std::int64_t multiplier) {
    if (draft_.price && !pending_.active && price_just_set_) {
      if (draft_.price->basis == Basis::kBare || draft_.price->basis == Basis::kCountedUnit ||
          draft_.price->basis == Basis::kPiece) {
        draft_.price->basis = basis;
        draft_.price->named_multiplier = multiplier;
      }
      return;
    }
    pending_ = {true, basis, multiplier};
  }

  bool NextIsUnit() const {
    return i_ + 1 < tokens_.size() && IsWord(tokens_[i_ + 1]) && tokens_[i_ + 1].unit != nullptr &&
           (tokens_[i_ + 1].groups &
            ~(kLanguageGroups | Bit(kFiller) | Bit(kStop) | Bit(kCategory) | Bit(kConfirm))) == 0;
  }

  bool NextIsNameWord() const { return i_ + 1 < tokens_.size() && IsNameWord(tokens_, i_ + 1); }

  // "x 40", "40x", "kali 3": the line is that many times what was counted (one if nothing was).
  void MultiplyQuantity(const Token& t) {
    const auto factor = t.overflow ? std::nullopt : ExactInteger(t.value);
    const auto product =
        factor ? Multiply(draft_.quantity.value_or(Decimal{1, 0}), *factor) : std::nullopt;
    draft_.quantity = product.value_or(Decimal{0, 0});
    draft_.quantity_overflow = draft_.quantity_overflow || !product;
    draft_.quantity_negative = draft_.quantity_negative != t.negative;
  }

  void OnNumber(const Token& t) {
    price_just_set_ = false;
    if (t.times && !pending_.active) {
      MultiplyQuantity(t);
      return;
    }
    if (pending_.active) {
      if (draft_.price) Close(false);
      SetPrice(t, pending_.basis, pending_.named_multiplier);
      pending_ = {};
      return;
    }
    const bool next_unit = NextIsUnit();
    bool is_quantity = false;
    if (t.money_suffix || (t.money && !next_unit)) {
      is_quantity = false;
    } else if (next_unit) {
      is_quantity = true;
    } else if (!draft_.quantity) {
      // A plain number before the name, or a small one, counts; a big one after the name is a
      // price ("jual kaos 45000").
      is_quantity = draft_.price.has_value() || draft_.name.empty() || t.value.units < 1000 ||
                    t.value.scale > 0;
    } else {
      is_quantity = draft_.price.has_value();  // a second count after a priced item: next item
    }
    if (is_quantity) {
      if (draft_.quantity) Close(false);
      draft_.quantity = t.value;
      draft_.quantity_negative = t.negative;
      draft_.quantity_overflow = t.overflow;
      if (next_unit) {
        ++i_;
        const Unit& unit = *tokens_[i_].unit;
        draft_.unit_multiplier = unit.multiplier;
        draft_.unit = unit.multiplier == 1 ? unit.canonical : "";
        draft_.unit_as_written = tokens_[i_].text;
      }
      return;
    }
    if (draft_.price) Close(false);
    SetPrice(t, Basis::kBare, 1);
  }

  void SetPrice(const Token& t, Basis basis, std::int64_t named_multiplier) {
    draft_.price = Price{t.value, t.negative, t.overflow, basis, named_multiplier};
    price_just_set_ = true;
  }

  void Close(bool at_separator) {
    Draft draft = std::move(draft_);
    draft_ = Draft{};
    draft_.after_separator = at_separator;
    pending_ = {};
    price_just_set_ = false;
    if (draft.Empty()) return;
    // Trailing words with no numbers describe the previous item ("… @45rb warna hitam").
    if (!draft.quantity && !draft.price && !draft.after_separator && !result_.items.empty()) {
      ItemEntity& previous = result_.items.back();
      for (const std::string& w : draft.name) {
        if (previous.name.size() < 200) previous.name += " " + w;
      }
      return;
    }
    if (result_.items.size() >= kMaxItems) {
      if (!too_many_) {
        result_.problems.push_back("terlalu banyak barang dalam satu pesan (maks 50)");
        too_many_ = true;
      }
      return;
    }
    result_.items.push_back(Finish(std::move(draft)));
  }

  ItemEntity Finish(Draft draft) {
    ItemEntity item;
    item.name = JoinName(draft.name);
    item.unit = draft.unit;
    if (item.name.empty() && !draft.unit_as_written.empty() && draft.unit_multiplier == 1) {
      item.name = draft.unit_as_written;  // "2 lusin gelas" is read above; "3 gelas" alone here
      item.unit.clear();
    }
    const std::string label =
        item.name.empty() ? "barang ke-" + std::to_string(result_.items.size() + 1) : item.name;
    if (item.name.empty()) result_.problems.push_back("nama barang belum disebut");

    // Quantity in pieces.
    bool quantity_ok = false;
    if (!draft.quantity) {
      if (draft.price) {
        item.quantity = 1;  // "jual kaos 45rb": one
        quantity_ok = true;
      } else {
        result_.problems.push_back("jumlah belum disebut untuk " + label);
      }
    } else if (draft.quantity_overflow) {
      result_.problems.push_back("jumlah terlalu besar untuk " + label);
    } else {
      const auto pieces = Multiply(*draft.quantity, draft.unit_multiplier);
      const auto whole = pieces ? ExactInteger(*pieces) : std::nullopt;
      if (!pieces) {
        result_.problems.push_back("jumlah terlalu besar untuk " + label);
      } else if (!whole) {
        result_.problems.push_back("jumlah harus bilangan bulat untuk " + label);
      } else {
        item.quantity = draft.quantity_negative ? -*whole : *whole;
        if (item.quantity <= 0) {
          result_.problems.push_back("jumlah harus lebih dari 0");
        } else if (item.quantity > kMaxQuantity) {
          result_.problems.push_back("jumlah terlalu besar untuk " + label + " (maks " +
                                     FormatRupiah(kMaxQuantity).substr(3) + ")");
        } else {
          quantity_ok = true;
        }
      }
    }

    if (!draft.price) {
      result_.problems.push_back("harga belum disebut untuk " + label);
      return item;
    }
    const Price& price = *draft.price;
    if (price.overflow) {
      result_.problems.push_back("harga terlalu besar untuk " + label);
      return item;
    }
    if (price.negative) {
      result_.problems.push_back("harga tidak boleh negatif untuk " + label);
      return item;
    }
    Basis basis = price.basis;
    if (basis == Basis::kBare) {
      basis = bare_ == BarePrice::kLineTotal ? Basis::kTotal : Basis::kCountedUnit;
    }
    std::int64_t divisor = 1;
    switch (basis) {
      case Basis::kCountedUnit:
        divisor = draft.unit_multiplier;
        break;
      case Basis::kNamedUnit:
        divisor = price.named_multiplier;
        break;
      case Basis::kTotal:
        if (!quantity_ok) return item;  // the total cannot be split without a valid count
        divisor = item.quantity;
        break;
      case Basis::kPiece:
      case Basis::kBare:
        break;
    }
    const auto unit_price = Divide(price.value, divisor);
    if (!unit_price) {
      result_.problems.push_back("harga tidak terbaca untuk " + label);
      return item;
    }
    item.unit_price = unit_price->value;
    if (!unit_price->exact) {
      result_.problems.push_back("harga " + label + " tidak habis dibagi " +
                                 std::to_string(divisor) + "; sebutkan harga satuannya");
    }
    std::int64_t line_total = 0;
    if (*item.unit_price > kMaxRupiah ||
        (quantity_ok && (__builtin_mul_overflow(*item.unit_price, item.quantity, &line_total) ||
                         line_total > kMaxRupiah))) {
      result_.problems.push_back("harga terlalu besar untuk " + label);
    }
    return item;
  }

  const std::vector<Token>& tokens_;
  const BarePrice bare_;
  std::size_t i_ = 0;
  Draft draft_;
  PendingMark pending_;
  bool price_just_set_ = false;
  bool too_many_ = false;
  ItemsParse result_;
};

}  // namespace

GroupMask NonNameGroups() {
  return Bit(kSale) | Bit(kPurchase) | Bit(kExpense) | Bit(kPos) | Bit(kStock) | Bit(kStockAdd) |
         Bit(kStockSub) | Bit(kPrice) | Bit(kProfit) | Bit(kSalesReport) | Bit(kTop) | Bit(kSlow) |
         Bit(kLowStock) | Bit(kVoid) | Bit(kVoidRef) | Bit(kConfirm) | Bit(kCancel) | Bit(kFiller) |
         Bit(kQuestion) | kPeriodGroups | Bit(kUnitPriceMark) | Bit(kEachMark) | Bit(kPerMark) |
         Bit(kTotalMark) | Bit(kSeparator) | Bit(kStop);
}

bool IsNameWord(const std::vector<Token>& tokens, std::size_t i) {
  const Token& t = tokens[i];
  return t.kind == TokenKind::kWord && (t.groups & NonNameGroups()) == 0;
}

ItemsParse ParseItems(const std::vector<Token>& tokens, BarePrice bare_price) {
  return ItemBuilder(tokens, bare_price).Run();
}

}  // namespace milkyhoop::assistant::intent_internal
