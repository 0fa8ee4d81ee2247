/**
 * Flash sales (DESIGN section 7): a sale carves a quantity of one SKU x location out of available
 * stock into pools, sells it under a per-user limit and a per-SKU token bucket, optionally admits
 * buyers through a lottery that hands out signed, expiring, single-use purchase tokens, and returns
 * whatever is unsold to normal stock when it ends. Start with {@link dev.inventory.core.flashsale.FlashSales}.
 *
 * <p>A sale's pool stock counts in the level's {@code reserved}: the sale holds it like a
 * reservation whose quantity shrinks as buyers take units and grows back when their holds expire or
 * are released. So {@code available} stays right for normal shoppers, no unit is promised twice,
 * and I4 reads: {@code reserved} = the ACTIVE and PENDING holds + what open sales hold in their
 * pools. See {@code docs/flash-sales.md}.
 *
 * <p>No method in this package returns or accepts {@code null}; absent values are
 * {@link java.util.Optional}. Bad input throws {@link java.lang.IllegalArgumentException} naming
 * the field and the value; expected outcomes (sold out, limit reached, rate limited, bad token) are
 * result values; infrastructure failures throw {@link dev.inventory.core.InventoryStoreException}.
 * {@link dev.inventory.core.flashsale.FlashSaleStore} is the port a store implements.
 */
package dev.inventory.core.flashsale;
