package dev.mandate.binding;

/**
 * The caches lag behind writes this operator already made (an anchor or a delivery that the
 * cache does not show yet): the reconciliation stops without writing a status from old facts and
 * looks again shortly.
 */
final class StaleView extends RuntimeException {

    StaleView(String message) {
        super(message, null, false, false);
    }
}
