package dev.mandate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Facts about the current token; never the token itself. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TokenStatus {

    @JsonPropertyDescription("Generation of the current token; increases by one on every issue or rotation.")
    private Long generation;

    @JsonPropertyDescription("When the current token was issued (RFC 3339).")
    private String issuedAt;

    @JsonPropertyDescription("When the API server will stop accepting the current token (RFC 3339), as the server returned it.")
    private String expiresAt;

    public TokenStatus() {
    }

    public TokenStatus(Long generation, String issuedAt, String expiresAt) {
        this.generation = generation;
        this.issuedAt = issuedAt;
        this.expiresAt = expiresAt;
    }

    public Long getGeneration() {
        return generation;
    }

    public void setGeneration(Long generation) {
        this.generation = generation;
    }

    public String getIssuedAt() {
        return issuedAt;
    }

    public void setIssuedAt(String issuedAt) {
        this.issuedAt = issuedAt;
    }

    public String getExpiresAt() {
        return expiresAt;
    }

    public void setExpiresAt(String expiresAt) {
        this.expiresAt = expiresAt;
    }
}
