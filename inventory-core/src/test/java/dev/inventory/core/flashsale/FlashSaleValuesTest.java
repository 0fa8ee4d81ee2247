package dev.inventory.core.flashsale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inventory.core.Inventory;
import dev.inventory.core.LocationId;
import dev.inventory.core.Sku;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The store-independent parts: validating builders, pool split and hash, rate-limit math, token format. */
class FlashSaleValuesTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Sku SKU = Sku.of("TEE-M");
    private static final LocationId WH = LocationId.of("WH1");
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);

    private static FlashSaleSpec.Builder spec() {
        return FlashSaleSpec.builder("drop-1", SKU, WH).quantity(10).startsAt(T0).endsAt(T0.plusSeconds(3600));
    }

    @Test
    void specBuilderNamesTheFieldAndTheBadValue() {
        assertThatThrownBy(() -> FlashSaleSpec.builder("drop-1", SKU, WH).startsAt(T0).endsAt(T0.plusSeconds(1))
                .build()).hasMessage("quantity must be set, was not");
        assertThatThrownBy(() -> spec().pools(0)).hasMessage("pools must be between 1 and 1024, was 0");
        assertThatThrownBy(() -> spec().pools(11).build()).hasMessage("pools must be between 1 and 10, was 11");
        assertThatThrownBy(() -> spec().endsAt(T0).build())
                .hasMessage("endsAt must be after startsAt 2026-03-01T10:00:00Z, was 2026-03-01T10:00:00Z");
        assertThatThrownBy(() -> FlashSaleSpec.builder("drop 1", SKU, WH))
                .hasMessage("saleId must be 1-40 characters of A-Z a-z 0-9 . _ -, was \"drop 1\"");
        assertThatThrownBy(() -> spec().holdDuration(Duration.ZERO))
                .hasMessage("holdDuration must be positive and at most PT720H, was PT0S");
        assertThatThrownBy(() -> spec().perUserLimit(0))
                .hasMessage("perUserLimit must be between 1 and 1000000000, was 0");
        assertThatThrownBy(() -> spec().rateLimit(null)).hasMessage("rateLimit must not be null");
    }

    @Test
    void poolsSplitTheQuantityAsEvenlyAsPossible() {
        FlashSaleSpec spec = spec().quantity(10).pools(4).build();
        assertThat(spec.initialPools()).containsExactly(3L, 3L, 2L, 2L);
        assertThat(spec.saleHoldId().value()).isEqualTo("fs:drop-1");
        assertThat(spec.purchaseId("alice", 2).value()).isEqualTo("fs:drop-1:alice:2");
        assertThat(spec.isWithinWindow(T0)).isTrue();
        assertThat(spec.isWithinWindow(T0.plusSeconds(3600))).isFalse();
    }

    @Test
    void thePreferredPoolIsTheCrc32OfTheUserIdAndStable() {
        // zlib.crc32(b"alice") = 663665735, b"bob" = 4123767104, b"user-1" = 2116437524
        assertThat(FlashSales.preferredPool("alice", 8)).isEqualTo(7);
        assertThat(FlashSales.preferredPool("bob", 8)).isEqualTo(0);
        assertThat(FlashSales.preferredPool("user-1", 8)).isEqualTo(4);
        assertThat(FlashSales.preferredPool("alice", 1)).isZero();
        assertThatThrownBy(() -> FlashSales.preferredPool("al ice", 8))
                .hasMessage("userId must be 1-64 characters of A-Z a-z 0-9 . _ -, was \"al ice\"");
    }

    @Test
    void rateLimitValidatesAndRoundsItsIntervalUpToMicroseconds() {
        assertThat(RateLimit.perSecond(10, 5).emissionIntervalMicros()).isEqualTo(100_000);
        assertThat(RateLimit.perSecond(3, 1).emissionIntervalMicros()).isEqualTo(333_334);
        assertThat(new RateLimit(1, Duration.ofMinutes(1), 1).emissionIntervalMicros()).isEqualTo(60_000_000);
        assertThatThrownBy(() -> RateLimit.perSecond(0, 1)).hasMessage("permits must be between 1 and 1000000, was 0");
        assertThatThrownBy(() -> RateLimit.perSecond(1, 0)).hasMessage("burst must be between 1 and 1000000, was 0");
        assertThatThrownBy(() -> new RateLimit(1, Duration.ofSeconds(-1), 1))
                .hasMessage("per must be positive and at most PT24H, was PT-1S");
        assertThatThrownBy(() -> new RateLimit(1_000_000, Duration.ofMillis(1), 1))
                .hasMessageStartingWith("permits per PT0.001S must leave at least 1 microsecond between permits");
    }

    @Test
    void lotterySpecValidates() {
        LotterySpec spec = LotterySpec.builder().build();
        assertThat(spec).isEqualTo(new LotterySpec(100, Duration.ofSeconds(10), Duration.ofMinutes(5),
                Duration.ofMinutes(1)));
        assertThatThrownBy(() -> LotterySpec.builder().batchSize(0))
                .hasMessage("batchSize must be between 1 and 100000, was 0");
        assertThatThrownBy(() -> LotterySpec.builder().tokenTtl(Duration.ofMillis(10)).build())
                .hasMessage("tokenTtl must be at least 1 second, was PT0.01S");
    }

    @Test
    void tokensRoundTripAndAreUrlSafeDeterministicAndExpiring() {
        PurchaseTokens tokens = PurchaseTokens.hmacSha256(KEY);
        Instant expiry = T0.plusSeconds(300);
        PurchaseToken token = tokens.issue("drop-1", SKU, "alice", "tok-1", expiry);

        assertThat(token.value()).matches("v1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}");
        assertThat(tokens.issue("drop-1", SKU, "alice", "tok-1", expiry)).isEqualTo(token);
        assertThat(tokens.verify(token.value(), T0)).isEqualTo(new TokenCheck.Valid(token));
        assertThat(tokens.verify(token.value(), expiry.minusMillis(1))).isInstanceOf(TokenCheck.Valid.class);
        assertThat(tokens.verify(token.value(), expiry)).isEqualTo(new TokenCheck.Invalid(TokenProblem.EXPIRED));
        assertThat(token.toString()).doesNotContain(token.value()).contains("value=(hidden)");

        String v = token.value();
        char last = v.charAt(v.length() - 1);
        String flipped = v.substring(0, v.length() - 1) + (last == 'A' ? 'B' : 'A');
        assertThat(tokens.verify(flipped, T0)).isEqualTo(new TokenCheck.Invalid(TokenProblem.FORGED));
        assertThat(tokens.verify("v2" + v.substring(2), T0)).isEqualTo(new TokenCheck.Invalid(TokenProblem.FORGED));
        assertThat(tokens.verify("v1.!!.??", T0)).isEqualTo(new TokenCheck.Invalid(TokenProblem.FORGED));
        assertThat(tokens.verify("x".repeat(2_000), T0)).isEqualTo(new TokenCheck.Invalid(TokenProblem.FORGED));
        assertThat(PurchaseTokens.hmacSha256("another-key-another-key-another-key".getBytes(StandardCharsets.UTF_8))
                .verify(v, T0)).isEqualTo(new TokenCheck.Invalid(TokenProblem.FORGED));
        assertThat(tokens.newTokenId()).matches("[A-Za-z0-9_-]{22}").isNotEqualTo(tokens.newTokenId());
    }

    @Test
    void aShortKeyOrAMissingKeyIsRefused() {
        assertThatThrownBy(() -> PurchaseTokens.hmacSha256(new byte[5]))
                .hasMessage("signingKey must be at least 32 bytes, was 5 bytes");
        try (Inventory inventory = Inventory.builder().withoutSweeper().build()) {
            assertThatThrownBy(() -> FlashSales.builder(inventory).build()).hasMessage("signingKey must be set, was not");
            assertThat(FlashSales.builder(inventory).signingKey(KEY).build().sale("none")).isEmpty();
        }
    }

    @Test
    void portRecordsValidate() {
        assertThatThrownBy(() -> new PurchaseCommand("s", "u", 0, 0, Optional.empty(), Optional.empty()))
                .hasMessage("quantity must be between 1 and 1000000000, was 0");
        assertThatThrownBy(() -> new PurchaseCommand("s", "u", 1, 0, Optional.empty(), Optional.of("a|b")))
                .hasMessage("tokenId must be 1-64 characters of A-Z a-z 0-9 _ -, was \"a|b\"");
        assertThatThrownBy(() -> new LotteryEntry("u", LotteryEntry.State.WON, 0, Optional.empty(), Optional.empty()))
                .hasMessageStartingWith("tokenId and tokenExpiresAt must be present exactly when state is WON");
        assertThatThrownBy(() -> LotteryEntry.waiting("u", 0)).hasMessageStartingWith("position must be between 1");
    }
}
