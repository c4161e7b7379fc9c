package dev.skiff.trigger;

/** The shared secret webhook callers sign with. Implementations never log or expose it elsewhere. */
public interface SigningSecret {

    /** The secret's current value (the key of the HMAC). */
    String value();
}
