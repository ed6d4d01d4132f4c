package dev.mandate.token;

/** Why a new token is minted. The names appear in status, Events and the rotations metric. */
public enum RotationTrigger {
    /** No usable token: none issued yet, its Secret or data is gone, or its anchor was deleted. */
    TokenMissing,
    /** The token the Secret holds has expired (the operator was down past its rotation). */
    TokenExpired,
    /** spec.rotation.audiences changed; the token was minted for other audiences. */
    AudiencesChanged,
    /** The mandate.dev/rotate-requested-at annotation is newer than the last rotation. */
    RotationRequested,
    /** The rotation period has passed, or the server-returned expiry minus the overlap is reached. */
    TokenDue
}
