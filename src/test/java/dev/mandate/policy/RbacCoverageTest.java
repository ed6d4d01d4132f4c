package dev.mandate.policy;

import static dev.mandate.testing.Guardrails.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The coverage check follows Kubernetes' own escalation check, case by case. */
class RbacCoverageTest {

    static PolicyRule named(List<String> groups, List<String> resources, List<String> verbs, List<String> names) {
        return new PolicyRuleBuilder().withApiGroups(groups).withResources(resources).withVerbs(verbs)
                .withResourceNames(names).build();
    }

    static Stream<Arguments> cases() {
        PolicyRule readPods = rule(List.of(""), List.of("pods"), List.of("get", "list"));
        return Stream.of(
                Arguments.of("the same rule", List.of(readPods), readPods, true),
                Arguments.of("fewer verbs", List.of(readPods), rule(List.of(""), List.of("pods"), List.of("get")), true),
                Arguments.of("a verb more", List.of(readPods), rule(List.of(""), List.of("pods"), List.of("get", "delete")), false),
                Arguments.of("another API group", List.of(readPods), rule(List.of("apps"), List.of("pods"), List.of("get")), false),
                Arguments.of("a subresource is not its resource", List.of(readPods), rule(List.of(""), List.of("pods/log"), List.of("get")), false),
                Arguments.of("*/subresource covers every resource's subresource", List.of(rule(List.of(""), List.of("*/log"), List.of("get"))),
                        rule(List.of(""), List.of("pods/log"), List.of("get")), true),
                Arguments.of("pods/* does not cover pods/log (Kubernetes' check is exact)", List.of(rule(List.of(""), List.of("pods/*"), List.of("get"))),
                        rule(List.of(""), List.of("pods/log"), List.of("get")), false),
                Arguments.of("* in a ceiling covers everything", List.of(rule(List.of("*"), List.of("*"), List.of("*"))),
                        rule(List.of("apps"), List.of("deployments/scale"), List.of("update")), true),
                Arguments.of("atoms may come from different ceiling rules", List.of(readPods, rule(List.of(""), List.of("configmaps"), List.of("get"))),
                        rule(List.of(""), List.of("pods", "configmaps"), List.of("get")), true),
                Arguments.of("but each atom needs one rule that has it all", List.of(rule(List.of(""), List.of("pods"), List.of("get")),
                        rule(List.of(""), List.of("configmaps"), List.of("list"))), rule(List.of(""), List.of("pods"), List.of("list")), false),
                Arguments.of("named objects within an unnamed ceiling", List.of(readPods),
                        named(List.of(""), List.of("pods"), List.of("get"), List.of("a", "b")), true),
                Arguments.of("unnamed request beyond a named ceiling", List.of(named(List.of(""), List.of("secrets"), List.of("get"), List.of("a"))),
                        rule(List.of(""), List.of("secrets"), List.of("get")), false),
                Arguments.of("a name the ceiling does not list", List.of(named(List.of(""), List.of("secrets"), List.of("get"), List.of("a"))),
                        named(List.of(""), List.of("secrets"), List.of("get"), List.of("a", "b")), false),
                Arguments.of("case matters, as in RBAC", List.of(readPods), rule(List.of(""), List.of("Pods"), List.of("get")), false),
                Arguments.of("an empty ceiling covers nothing", List.of(), rule(List.of(""), List.of("pods"), List.of("get")), false));
    }

    @ParameterizedTest(name = "{0}: {3}")
    @MethodSource("cases")
    void coversLikeKubernetes(String what, List<PolicyRule> ceiling, PolicyRule requested, boolean covered) {
        assertEquals(covered, RbacCoverage.uncovered(ceiling, requested).isEmpty(), what);
    }

    @org.junit.jupiter.api.Test
    void namesWhatIsMissing() {
        var missing = RbacCoverage.uncovered(List.of(rule(List.of(""), List.of("pods"), List.of("get"))),
                rule(List.of(""), List.of("pods", "secrets"), List.of("get", "delete")));
        assertEquals(List.of("delete pods", "get secrets", "delete secrets"), missing.stream().map(Object::toString).toList());
        assertTrue(RbacCoverage.uncovered(List.of(), named(List.of("apps"), List.of("deployments"), List.of("get"), List.of("web")))
                .get(0).toString().equals("get deployments.apps named web"));
    }
}
