package dev.mandate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Rotation {

    @Required
    @Size(max = 32)
    @Pattern(Patterns.DURATION)
    @JsonPropertyDescription("A fresh token this often (Go duration). period + overlap is the token's lifetime and "
            + "must be at least 10m, the TokenRequest API's minimum.")
    private String period;

    @Size(max = 32)
    @Pattern(Patterns.DURATION)
    @Default("5m")
    @JsonPropertyDescription("How long the previous token stays valid after a rotation (Go duration).")
    private String overlap;

    @Size(max = 16)
    @JsonPropertyDescription("Token audiences; empty means the API server's default audience.")
    private List<String> audiences = new ArrayList<>();

    public Rotation() {
    }

    public Rotation(String period, String overlap) {
        this.period = period;
        this.overlap = overlap;
    }

    public String getPeriod() {
        return period;
    }

    public void setPeriod(String period) {
        this.period = period;
    }

    public String getOverlap() {
        return overlap;
    }

    public void setOverlap(String overlap) {
        this.overlap = overlap;
    }

    public List<String> getAudiences() {
        return audiences;
    }

    public void setAudiences(List<String> audiences) {
        this.audiences = audiences;
    }
}
