package dev.mandate.testing;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** In {@code @QuarkusTest}s the operator's one Clock is the clock the test moves. */
public class TestClockProducer {

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    Clock clock() {
        return MockClusterResource.CLOCK;
    }
}
