package dev.inventory.core.flashsale;

import dev.inventory.core.Sku;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and verifies purchase tokens signed with HMAC-SHA256 ({@link javax.crypto.Mac}).
 *
 * <p>Format (all URL-safe): {@code v1.<payload>.<signature>} where {@code payload} is the unpadded
 * base64url of the UTF-8 text {@code saleId|sku|userId|tokenId|expiresAtEpochMillis} and
 * {@code signature} is the unpadded base64url of {@code HMAC-SHA256(key, "v1." + payload)}. None of
 * the fields can contain {@code |}. Verification recomputes the signature and compares in constant
 * time, then checks the expiry; binding (user, sale, SKU) and single use are checked by
 * {@link Lottery#redeem}, the latter atomically in the store.
 *
 * <p>Every application instance of a deployment must use the same key; rotate it by ending the
 * sales that use it. Thread-safe.
 */
public final class PurchaseTokens {
    private static final String VERSION = "v1";
    private static final String ALGORITHM = "HmacSHA256";
    private static final int MAX_TOKEN_LENGTH = 1024;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    private PurchaseTokens(byte[] key) {
        this.key = new SecretKeySpec(key, ALGORITHM);
    }

    /**
     * Tokens signed with {@code key} (copied).
     *
     * @throws IllegalArgumentException when the key is shorter than 32 bytes
     */
    public static PurchaseTokens hmacSha256(byte[] key) {
        FlashIds.notNull("signingKey", key);
        if (key.length < 32) {
            throw new IllegalArgumentException("signingKey must be at least 32 bytes, was " + key.length + " bytes");
        }
        return new PurchaseTokens(Arrays.copyOf(key, key.length));
    }

    /** Issues a token with a new random id, valid until {@code expiresAt} (cut to whole milliseconds). */
    public PurchaseToken issue(String saleId, Sku sku, String userId, Instant expiresAt) {
        return issue(saleId, sku, userId, newTokenId(), expiresAt);
    }

    /** Issues the token with id {@code tokenId}; the same arguments always give the same token. */
    public PurchaseToken issue(String saleId, Sku sku, String userId, String tokenId, Instant expiresAt) {
        FlashIds.saleId(saleId);
        FlashIds.notNull("sku", sku);
        FlashIds.userId(userId);
        FlashIds.tokenId(tokenId);
        long millis = FlashIds.notNull("expiresAt", expiresAt).toEpochMilli();
        String payload = saleId + "|" + sku.value() + "|" + userId + "|" + tokenId + "|" + millis;
        String signed = VERSION + "." + ENCODER.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        String value = signed + "." + ENCODER.encodeToString(mac(signed));
        return new PurchaseToken(value, saleId, sku, userId, tokenId, Instant.ofEpochMilli(millis));
    }

    /**
     * Checks the signature (constant time) and the expiry of {@code token} at {@code now}.
     *
     * @return {@link TokenCheck.Valid} with what the token says, or {@link TokenCheck.Invalid} with
     *     {@link TokenProblem#FORGED} (malformed or wrong signature) or {@link TokenProblem#EXPIRED}
     */
    public TokenCheck verify(String token, Instant now) {
        FlashIds.notNull("token", token);
        FlashIds.notNull("now", now);
        if (token.length() > MAX_TOKEN_LENGTH) {
            return new TokenCheck.Invalid(TokenProblem.FORGED);
        }
        int firstDot = token.indexOf('.');
        int lastDot = token.lastIndexOf('.');
        if (firstDot < 0 || lastDot == firstDot || !token.substring(0, firstDot).equals(VERSION)) {
            return new TokenCheck.Invalid(TokenProblem.FORGED);
        }
        String signed = token.substring(0, lastDot);
        byte[] signature;
        String payload;
        try {
            signature = DECODER.decode(token.substring(lastDot + 1));
            payload = new String(DECODER.decode(token.substring(firstDot + 1, lastDot)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return new TokenCheck.Invalid(TokenProblem.FORGED);
        }
        if (!MessageDigest.isEqual(mac(signed), signature)) {
            return new TokenCheck.Invalid(TokenProblem.FORGED);
        }
        String[] f = payload.split("\\|", -1);
        PurchaseToken parsed;
        try {
            if (f.length != 5) {
                return new TokenCheck.Invalid(TokenProblem.FORGED);
            }
            parsed = new PurchaseToken(token, f[0], Sku.of(f[1]), f[2], f[3], Instant.ofEpochMilli(Long.parseLong(f[4])));
        } catch (IllegalArgumentException e) { // NumberFormatException included
            return new TokenCheck.Invalid(TokenProblem.FORGED);
        }
        if (!now.isBefore(parsed.expiresAt())) {
            return new TokenCheck.Invalid(TokenProblem.EXPIRED);
        }
        return new TokenCheck.Valid(parsed);
    }

    /** A new random token id: 16 random bytes, unpadded base64url (22 characters). */
    String newTokenId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return ENCODER.encodeToString(bytes);
    }

    private byte[] mac(String text) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
