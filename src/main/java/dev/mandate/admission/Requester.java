package dev.mandate.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mandate.time.Times;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who asked for a binding: the user, uid, groups and extra that the API server authenticated, as an
 * AdmissionReview's {@code userInfo} carries them. Never what a client typed.
 */
public record Requester(String user, String uid, List<String> groups, Map<String, List<String>> extra) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public Requester {
        user = user == null ? "" : user;
        uid = uid == null ? "" : uid;
        groups = groups == null ? List.of() : List.copyOf(groups);
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    public static Requester of(UserInfo info) {
        return info == null ? new Requester("", "", List.of(), Map.of())
                : new Requester(info.getUsername(), info.getUid(), info.getGroups(), info.getExtra());
    }

    /** How a refusal names them: {@code user "dev"}. */
    public String describe() {
        return "user \"" + user + "\"";
    }

    /** The ServiceAccount this user is, as {@code namespace/name}, if it is one. */
    public Optional<String> serviceAccount() {
        String prefix = "system:serviceaccount:";
        if (!user.startsWith(prefix)) {
            return Optional.empty();
        }
        String rest = user.substring(prefix.length());
        return rest.indexOf(':') > 0 ? Optional.of(rest.replaceFirst(":", "/")) : Optional.empty();
    }

    /** The value of the {@code mandate.dev/requested-by} annotation: user, uid, groups and when. */
    public String annotation(Instant at) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("user", user);
        fields.put("uid", uid);
        fields.put("groups", groups);
        fields.put("at", Times.format(at));
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The user named in such an annotation, if it can be read. */
    public static Optional<String> userOf(String annotation) {
        if (annotation == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(JSON.readTree(annotation).path("user").textValue()).filter(u -> !u.isBlank());
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}
