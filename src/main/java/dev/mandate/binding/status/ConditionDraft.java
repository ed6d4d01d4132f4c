package dev.mandate.binding.status;

/** One condition as a reconciliation decided it, before its transition time is carried over. */
public record ConditionDraft(String type, boolean status, String reason, String message) {
}
