package org.mert4j.serve;

/**
 * The model a server runs, as {@code /v1/info} names it.
 *
 * @param name        the model as {@code mert embed} records it (a folder, a Hub id, {@code preset:NAME})
 * @param fingerprint what identifies its weights ({@link org.mert4j.model.ModelFingerprint}), the
 *                    {@code model_fingerprint} of every output record; null when not known
 */
public record ModelIdentity(String name, String fingerprint) {
}
