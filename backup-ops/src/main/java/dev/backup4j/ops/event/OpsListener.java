package dev.backup4j.ops.event;

import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives every {@link OpsEvent}. Called on the thread that runs the job, in the order things happen; keep it quick
 * (an alert sink that posts over the network is called from here too, with its own timeout). A listener that throws
 * does not stop the job or the other listeners: {@link #all} logs the exception and goes on.
 *
 * <pre>{@code
 * OpsListener listeners = OpsListener.all(List.of(metrics, alerts, e -> System.out.println(e)));
 * }</pre>
 */
@FunctionalInterface
public interface OpsListener {

    /** A listener that ignores everything. */
    OpsListener NONE = e -> { };

    /** Called once per event. */
    void onEvent(OpsEvent event);

    /** Forwards each event to every listener in order; one that throws is logged and skipped. */
    static OpsListener all(List<? extends OpsListener> listeners) {
        List<OpsListener> copy = List.copyOf(listeners);
        Logger log = LoggerFactory.getLogger(OpsListener.class);
        return e -> {
            Objects.requireNonNull(e, "event");
            for (OpsListener l : copy) {
                try {
                    l.onEvent(e);
                } catch (RuntimeException ex) {
                    log.warn("listener {} failed on {}: {}", l, e.getClass().getSimpleName(), ex.toString());
                }
            }
        };
    }
}
