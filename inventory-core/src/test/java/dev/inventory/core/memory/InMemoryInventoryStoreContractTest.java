package dev.inventory.core.memory;

import dev.inventory.core.contract.InventoryStoreContract;
import dev.inventory.core.spi.InventoryStore;

/** The whole contract suite on the embedded default store. */
class InMemoryInventoryStoreContractTest extends InventoryStoreContract {
    @Override
    protected InventoryStore createStore() {
        return InMemoryInventoryStore.create();
    }
}
