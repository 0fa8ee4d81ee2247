package dev.inventory.kafka;

/**
 * What a {@link RecordHandler} did with a message. {@link Applied}, {@link Duplicate} and
 * {@link Stale} let the partition move on; {@link Rejected} sends the record to the dead-letter topic
 * first.
 */
public sealed interface Outcome {

    /** The change was applied now. */
    static Outcome applied() {
        return Applied.INSTANCE;
    }

    /** The message was applied before (same event id); nothing changed. */
    static Outcome duplicate() {
        return Duplicate.INSTANCE;
    }

    /** The message is older than what was already applied (by version); nothing changed. */
    static Outcome stale() {
        return Stale.INSTANCE;
    }

    /**
     * The message is valid JSON but can never be applied (unknown level, business rule); it goes to the
     * dead-letter topic with a {@link RejectedRecordException} carrying {@code reason}.
     */
    static Outcome rejected(String reason) {
        return new Rejected(reason);
    }

    /** Applied now. */
    final class Applied implements Outcome {
        static final Applied INSTANCE = new Applied();

        private Applied() {
        }

        @Override
        public String toString() {
            return "Applied";
        }
    }

    /** Applied before. */
    final class Duplicate implements Outcome {
        static final Duplicate INSTANCE = new Duplicate();

        private Duplicate() {
        }

        @Override
        public String toString() {
            return "Duplicate";
        }
    }

    /** Older than what was applied. */
    final class Stale implements Outcome {
        static final Stale INSTANCE = new Stale();

        private Stale() {
        }

        @Override
        public String toString() {
            return "Stale";
        }
    }

    /**
     * Cannot be applied, ever.
     *
     * @param reason why, for the dead-letter headers
     */
    record Rejected(String reason) implements Outcome {
        /** Validates. */
        public Rejected {
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("reason must be a non-blank text, was " + reason);
            }
        }
    }
}
