package dev.mandate.testing;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.AgentBindingSpec;
import dev.mandate.api.v1alpha1.Rotation;
import dev.mandate.api.v1alpha1.Scope;
import dev.mandate.api.v1alpha1.ScopeRule;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;

/** Bindings as a cluster admin would write them. */
public final class Fixtures {

    private Fixtures() {
    }

    /** support-bot's binding: read configmaps, view, 720h, a fresh token every hour with 5m overlap. */
    public static AgentBinding binding(String namespace, String name) {
        AgentBinding b = new AgentBinding();
        b.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        AgentBindingSpec spec = new AgentBindingSpec();
        spec.setOwner("alice");
        spec.setDescription("Customer-support assistant");
        Scope scope = new Scope();
        scope.setRules(new ArrayList<>(List.of(configMapReader())));
        scope.setClusterRoles(new ArrayList<>(List.of("view")));
        spec.setScope(scope);
        spec.setTtl("720h");
        spec.setRotation(new Rotation("1h", "5m"));
        b.setSpec(spec);
        return b;
    }

    public static ScopeRule configMapReader() {
        return new ScopeRule(new ArrayList<>(List.of("")), new ArrayList<>(List.of("configmaps")),
                new ArrayList<>(List.of("get", "list", "watch")), null);
    }

    public static ScopeRule rule(String apiGroup, String resource, String... verbs) {
        return new ScopeRule(new ArrayList<>(List.of(apiGroup)), new ArrayList<>(List.of(resource)),
                new ArrayList<>(List.of(verbs)), null);
    }
}
