package dev.mandate.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SelectorsTest {

    static final Map<String, String> AGENTS = Map.of("mandate.dev/agents", "enabled", "team", "support");

    static LabelSelector expression(String op, String... values) {
        return new LabelSelectorBuilder().addNewMatchExpression().withKey("team").withOperator(op).withValues(values)
                .endMatchExpression().build();
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "In, support, true",
            "In, billing, false",
            "NotIn, billing, true",
            "NotIn, support, false",
            "Exists, '', true",
            "DoesNotExist, '', false",
            "Matches, support, false",
    })
    void matchExpressionsFollowKubernetes(String op, String value, boolean matches) {
        LabelSelector s = value.isEmpty() ? expression(op) : expression(op, value);
        assertEquals(matches, Selectors.matches(s, AGENTS));
    }

    @org.junit.jupiter.api.Test
    void matchLabelsMustAllMatchAndAnEmptySelectorSelectsEverything() {
        assertEquals(true, Selectors.matches(new LabelSelectorBuilder().addToMatchLabels("mandate.dev/agents", "enabled")
                .build(), AGENTS));
        assertEquals(false, Selectors.matches(new LabelSelectorBuilder().addToMatchLabels("mandate.dev/agents", "enabled")
                .addToMatchLabels("team", "billing").build(), AGENTS));
        assertEquals(true, Selectors.matches((LabelSelector) null, Map.of()));
        assertEquals(true, Selectors.matches(new LabelSelector(), Map.of()));
    }
}
