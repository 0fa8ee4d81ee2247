package dev.inventory.core.processing;

import dev.inventory.core.memory.InMemoryInventoryStore;
import dev.inventory.core.spi.InventoryStore;

/** The event processing contract on the embedded default store. */
class InMemoryEventProcessingContractTest extends EventProcessingContract {
    @Override
    protected InventoryStore createStore() {
        return InMemoryInventoryStore.create();
    }
}
