package dev.inventory.core.flashsale;

import dev.inventory.core.memory.InMemoryFlashSaleStore;
import dev.inventory.core.memory.InMemoryInventoryStore;
import dev.inventory.core.spi.InventoryStore;

/** The whole flash-sale contract on the embedded default store. */
class InMemoryFlashSaleTest extends FlashSaleContract {
    @Override
    protected InventoryStore createStore() {
        return InMemoryInventoryStore.create();
    }

    @Override
    protected FlashSaleStore createFlashSaleStore(InventoryStore store) {
        return InMemoryFlashSaleStore.on((InMemoryInventoryStore) store);
    }
}
