package dev.mandate.policy;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.spec.SpecReader;

/** Decides whether a binding's scope and lifetime lie within what the cluster's admins allow. */
public interface PolicyEvaluator {

    /**
     * @param reading what {@link SpecReader#read} made of the binding's spec (its lifetimes, even
     *                when other fields are invalid)
     */
    PolicyVerdict evaluate(AgentBinding binding, SpecReader.Reading reading, PolicyFacts facts);

    /** The same, reading the spec first. */
    default PolicyVerdict evaluate(AgentBinding binding, PolicyFacts facts) {
        return evaluate(binding, SpecReader.read(binding), facts);
    }
}
