package dev.mandate.metrics;

import dev.mandate.api.v1alpha1.AgentBinding;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import jakarta.inject.Singleton;
import java.util.stream.Stream;

/** The binding controller's informer cache, handed over when the controller starts, for scrape-time metrics. */
@Singleton
public class BindingCache {

    private volatile IndexedResourceCache<AgentBinding> cache;

    public void set(IndexedResourceCache<AgentBinding> cache) {
        this.cache = cache;
    }

    public Stream<AgentBinding> bindings() {
        IndexedResourceCache<AgentBinding> c = cache;
        return c == null ? Stream.empty() : c.list();
    }
}
