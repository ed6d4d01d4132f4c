package dev.mandate.policy;

import dev.mandate.api.v1alpha1.AgentBinding;

/** Decides whether a binding's scope and lifetime lie within what the cluster's admins allow. */
public interface PolicyEvaluator {

    PolicyVerdict evaluate(AgentBinding binding, PolicyFacts facts);
}
