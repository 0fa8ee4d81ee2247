package dev.inventory.core.processing;

import dev.inventory.core.memory.InMemoryInventoryStore;
import dev.inventory.core.spi.InventoryStore;

/** The backorder contract on the embedded default store. */
class InMemoryBackorderContractTest extends BackorderContract {
    @Override
    protected InventoryStore createStore() {
        return InMemoryInventoryStore.create();
    }
}
