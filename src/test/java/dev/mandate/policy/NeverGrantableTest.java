package dev.mandate.policy;

import static dev.mandate.testing.Guardrails.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NeverGrantableTest {

    static List<String> check(PolicyRule r) {
        return NeverGrantable.violations("scope.rules", List.of(r), true);
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
            "'' | pods | escalate | \"escalate\" is never grantable",
            "'' | pods | bind | \"bind\" is never grantable",
            "'' | users | impersonate | \"impersonate\" is never grantable",
            "'' | serviceaccounts/token | create | \"serviceaccounts/token\" is never grantable",
            "'' | pods/exec | create | \"pods/exec\" is never grantable",
            "'' | pods/attach | get | \"pods/attach\" is never grantable",
            "'' | secrets | get | \"secrets\" without resourceNames is never grantable",
            "'' | secrets/status | get | \"secrets/status\" without resourceNames",
            "rbac.authorization.k8s.io | roles | create | writes to rbac.authorization.k8s.io are never grantable",
            "rbac.authorization.k8s.io | rolebindings | patch | writes to rbac.authorization.k8s.io",
            "mandate.dev | agentbindings | get | nothing in mandate.dev is grantable",
            "mandate.dev | agentbindings/status | update | nothing in mandate.dev is grantable",
            "* | pods | get | wildcards are never grantable",
            "'' | * | get | wildcards are never grantable",
            "'' | pods | * | wildcards are never grantable",
            "'' | pods/* | get | wildcards are never grantable",
            "'' | */scale | update | wildcards are never grantable",
            "'' | Pods | get | RBAC is case-sensitive and would ignore it (did you mean \"pods\"?)",
            "'' | pods | GET | RBAC is case-sensitive and would ignore it (did you mean \"get\"?)",
            "Apps | deployments | get | RBAC is case-sensitive",
            "'' | '' | get | \"\" is not a resource",
            "'' | pods | '' | \"\" is not a verb",
            "'' | pods/exec/extra | create | is not a resource",
            "'' | ' pods' | get | is not a resource",
    })
    void refusesWhatNoPolicyMayGrant(String group, String resource, String verb, String message) {
        List<String> v = check(rule(List.of(group), List.of(resource), List.of(verb)));
        assertTrue(v.stream().anyMatch(s -> s.contains(message)), v.toString());
    }

    @Test
    void namedSecretsReadsOfRbacAndOrdinaryRulesAreFine() {
        assertEquals(List.of(), check(new PolicyRuleBuilder().withApiGroups("").withResources("secrets")
                .withResourceNames("support-faq").withVerbs("get").build()));
        assertEquals(List.of(), check(rule(List.of("rbac.authorization.k8s.io"), List.of("roles"), List.of("get", "list"))));
        assertEquals(List.of(), check(rule(List.of("", "apps"), List.of("configmaps", "deployments/scale"),
                List.of("get", "update"))));
    }

    @Test
    void nonResourceUrlsAndEmptyNamesAreRefused() {
        List<String> v = check(new PolicyRuleBuilder().withNonResourceURLs("/metrics").withVerbs("get").build());
        assertTrue(v.get(0).contains("non-resource URLs cannot be granted"), v.toString());
        List<String> n = check(new PolicyRuleBuilder().withApiGroups("").withResources("configmaps")
                .withResourceNames("").withVerbs("get").build());
        assertTrue(n.get(0).contains("resourceNames: \"\" is not an object name"), n.toString());
    }

    @Test
    void clusterRolesAreCheckedForWhatTheyGrantNotForSpelling() {
        List<String> v = NeverGrantable.violations("ClusterRole edit rule",
                List.of(rule(List.of(""), List.of("secrets"), List.of("get"))), false);
        assertEquals(List.of("ClusterRole edit rule[0]: \"secrets\" without resourceNames is never grantable: name the "
                + "Secrets the agent may use"), v);
    }
}
