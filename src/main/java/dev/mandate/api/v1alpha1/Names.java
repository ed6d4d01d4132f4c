package dev.mandate.api.v1alpha1;

import java.util.regex.Pattern;

/**
 * The names of everything Mandate makes for a binding, in one place; they are part of its API
 * (agents mount the token Secret by name, admins grep for the rest).
 *
 * <p>The ServiceAccount, the Role and the Role's RoleBinding are named after the binding; the
 * RoleBinding for ClusterRole {@code c} is {@code <binding>:c}. Binding names are DNS subdomains
 * and hold no ':', so no two bindings' names can collide. Token anchors are
 * {@code <binding>-anchor-<generation>}; the token Secret is {@code spec.tokenSecretName}, by
 * default {@code <binding>-token}.
 */
public final class Names {

    /** What every anchor's name looks like, so that nothing else may take such a name. */
    private static final Pattern ANCHOR = Pattern.compile(".+-anchor-[0-9]+$");

    private Names() {
    }

    public static String serviceAccount(AgentBinding b) {
        return b.getMetadata().getName();
    }

    /** The Role for {@code scope.rules}, and the RoleBinding to it. */
    public static String role(AgentBinding b) {
        return b.getMetadata().getName();
    }

    /** The RoleBinding that grants ClusterRole {@code clusterRole} in the binding's namespace. */
    public static String clusterRoleBinding(AgentBinding b, String clusterRole) {
        return b.getMetadata().getName() + ":" + clusterRole;
    }

    /** The Secret the binding's agent mounts. */
    public static String tokenSecret(AgentBinding b) {
        return b.getSpec() != null && b.getSpec().getTokenSecretName() != null ? b.getSpec().getTokenSecretName()
                : b.getMetadata().getName() + "-token";
    }

    /** The anchor Secret of token generation {@code generation}. */
    public static String anchor(String bindingName, long generation) {
        return bindingName + "-anchor-" + generation;
    }

    /** Whether a Secret name has the shape of a token anchor's (whoever's it is). */
    public static boolean looksLikeAnchor(String secretName) {
        return secretName != null && ANCHOR.matcher(secretName).matches();
    }
}
