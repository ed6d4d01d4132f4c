package dev.mandate.policy;

import dev.mandate.api.v1alpha1.AgentBinding;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;

/** Admits every binding. Stands in until AgentPolicy ceilings are enforced. */
@ApplicationScoped
@DefaultBean
public class AdmitAllPolicyEvaluator implements PolicyEvaluator {

    @Override
    public PolicyVerdict evaluate(AgentBinding binding) {
        return PolicyVerdict.allow(null, false, "AgentPolicy ceilings are not enforced by this build");
    }
}
