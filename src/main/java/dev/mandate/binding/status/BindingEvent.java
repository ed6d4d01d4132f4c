package dev.mandate.binding.status;

/** A core/v1 Event about a binding, as {@code kubectl describe} shows it. Never holds token material. */
public record BindingEvent(boolean warning, String reason, String message) {

    public static BindingEvent normal(String reason, String message) {
        return new BindingEvent(false, reason, message);
    }

    public static BindingEvent warning(String reason, String message) {
        return new BindingEvent(true, reason, message);
    }
}
