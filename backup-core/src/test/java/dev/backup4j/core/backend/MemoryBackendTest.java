package dev.backup4j.core.backend;

class MemoryBackendTest extends BackendContractTest {
    @Override
    protected Backend newBackend() {
        return Backends.inMemory();
    }
}
