package dev.mandate.spec;

/** One thing wrong with a spec, named by its field so a human can fix it. */
public record SpecProblem(String field, String message) {

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
