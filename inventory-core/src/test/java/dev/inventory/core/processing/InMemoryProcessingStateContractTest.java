package dev.inventory.core.processing;

/** The processing-state contract on the core's in-memory queue and record. */
class InMemoryProcessingStateContractTest extends ProcessingStateContract {
    @Override
    protected BackorderQueue createQueue() {
        return BackorderQueue.inMemory();
    }

    @Override
    protected ProcessedEvents createProcessedEvents() {
        return ProcessedEvents.inMemory();
    }
}
