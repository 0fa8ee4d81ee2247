package dev.inventory.kafka;

import dev.inventory.core.processing.ProcessingResult;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the results of a core processor into consumer {@link Outcome}s, for the two inbound handlers.
 * It remembers the events it saw deferred (a bounded map, the oldest forgotten first), for two
 * things: a deferred event that the processor applied while its record waited comes back
 * {@code Duplicate} and is reported {@link Outcome#applied() applied}; and an event the processor gave
 * up on and parked again (its deadline moved) is rejected as {@code PREDECESSOR_MISSING} instead of
 * waiting again, so a consumer with unlimited attempts cannot block its partition forever.
 */
final class ProcessingOutcomes {
    private static final Logger log = LoggerFactory.getLogger(ProcessingOutcomes.class);
    private static final int MAX_REMEMBERED = 10_000;

    private final Map<String, Instant> deferred = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, false) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
                    return size() > MAX_REMEMBERED;
                }
            });

    /**
     * Processes {@code events} (the core events one message maps to) in order with {@code process} and
     * combines the results: the first rejection stops and rejects the record (saying which events before
     * it were applied: a redelivery skips those as duplicates); a deferral throws; otherwise applied when
     * any was applied, else duplicate.
     *
     * @throws EventDeferredException when an event must wait for a predecessor
     */
    <E> Outcome outcome(String what, List<E> events, Function<E, ProcessingResult> process) {
        int applied = 0;
        for (int i = 0; i < events.size(); i++) {
            ProcessingResult result = process.apply(events.get(i));
            Outcome outcome = outcome(what, result);
            if (outcome instanceof Outcome.Rejected && events.size() > 1) {
                String reason = ((Outcome.Rejected) outcome).reason();
                return Outcome.rejected("item " + (i + 1) + " of " + events.size() + " (" + result.eventId() + "): "
                        + reason + (i == 0 ? "" : "; items 1-" + i + " were applied (a redelivery skips them)"));
            }
            if (outcome instanceof Outcome.Rejected) {
                return outcome;
            }
            if (outcome instanceof Outcome.Applied) {
                applied++;
            }
        }
        return applied > 0 ? Outcome.applied() : Outcome.duplicate();
    }

    /**
     * The outcome of one result.
     *
     * @throws EventDeferredException for {@link ProcessingResult.Deferred}
     */
    Outcome outcome(String what, ProcessingResult result) {
        String id = result.eventId();
        if (result instanceof ProcessingResult.Applied) {
            deferred.remove(id);
            log.debug("{} {} applied: {}", what, id, ((ProcessingResult.Applied) result).detail());
            return Outcome.applied();
        }
        if (result instanceof ProcessingResult.Duplicate) {
            // an event that waited and was applied by the processor meanwhile counts as applied by this record
            return deferred.remove(id) != null ? Outcome.applied() : Outcome.duplicate();
        }
        if (result instanceof ProcessingResult.Rejected) {
            deferred.remove(id);
            ProcessingResult.Rejected r = (ProcessingResult.Rejected) result;
            return Outcome.rejected(r.reason() + ": " + r.message());
        }
        ProcessingResult.Deferred d = (ProcessingResult.Deferred) result;
        Instant first = deferred.putIfAbsent(id, d.until());
        if (first != null && !first.equals(d.until())) {
            // the processor dropped the first wait (its parking time passed) and parked the event anew
            deferred.remove(id);
            return Outcome.rejected(ProcessingResult.Reason.PREDECESSOR_MISSING + ": " + what + " " + id
                    + " waited for " + d.waitingFor() + " until " + first + "; giving up (a replay of this dead"
                    + " letter applies it once its predecessor is there)");
        }
        throw new EventDeferredException(id, d.waitingFor(), d.until());
    }
}
