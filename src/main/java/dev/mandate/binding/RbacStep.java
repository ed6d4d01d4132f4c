package dev.mandate.binding;

import dev.mandate.binding.cluster.Blocked;
import dev.mandate.binding.cluster.Observed;
import dev.mandate.binding.cluster.OwnedObjects;
import dev.mandate.binding.cluster.OwnedObjects.Change;
import dev.mandate.binding.cluster.Ownership;
import dev.mandate.spec.EffectiveSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The agent's permissions: the Role for {@code scope.rules} and the RoleBindings, made to match
 * the scope. Narrowing comes first: what the scope no longer names goes before anything new is
 * granted. Drift (a rule added by hand) is repaired; labels others added are kept.
 */
final class RbacStep {

    private RbacStep() {
    }

    /**
     * @return what changed, in the words of the {@code ScopeUpdated} Event ("deleted RoleBinding x")
     * @throws Blocked when a name it needs belongs to an object Mandate did not make for this binding
     */
    static List<String> apply(Observed seen, OwnedObjects writes, EffectiveSpec spec) {
        List<Role> wantRoles = DesiredResources.roles(seen.binding(), spec);
        List<RoleBinding> wantBindings = DesiredResources.roleBindings(seen.binding(), spec);
        List<String> changes = new ArrayList<>();
        for (RoleBinding rb : seen.ours(seen.roleBindings()).toList()) {
            if (byName(wantBindings, rb).isEmpty() && writes.deleteOurs(rb)) {
                changes.add("deleted RoleBinding " + rb.getMetadata().getName());
            }
        }
        for (Role r : seen.ours(seen.roles()).toList()) {
            if (byName(wantRoles, r).isEmpty() && writes.deleteOurs(r)) {
                changes.add("deleted Role " + r.getMetadata().getName());
            }
        }
        for (Role want : wantRoles) {
            note(changes, "Role", want, writes.ensure(Role.class, want, byName(seen.roles(), want),
                    (have, w) -> DesiredResources.sameRules(have.getRules(), w.getRules()),
                    (have, w) -> {
                        have.setRules(w.getRules());
                        return have;
                    }).change());
        }
        for (RoleBinding want : wantBindings) {
            Optional<RoleBinding> have = byName(seen.roleBindings(), want);
            if (have.isPresent() && writes.ownership(have.get()) == Ownership.OURS
                    && !Objects.equals(have.get().getRoleRef(), want.getRoleRef())) {
                // roleRef is immutable: replace the binding.
                writes.deleteOurs(have.get());
                have = Optional.empty();
            }
            note(changes, "RoleBinding", want, writes.ensure(RoleBinding.class, want, have,
                    (h, w) -> DesiredResources.sameSubjects(h.getSubjects(), w.getSubjects()),
                    (h, w) -> {
                        h.setSubjects(w.getSubjects());
                        return h;
                    }).change());
        }
        return changes;
    }

    private static void note(List<String> changes, String kind, HasMetadata want, Change change) {
        if (change != Change.NONE) {
            changes.add((change == Change.CREATED ? "created " : "updated ") + kind + " " + want.getMetadata().getName());
        }
    }

    private static <R extends HasMetadata> Optional<R> byName(List<R> objects, HasMetadata like) {
        return objects.stream().filter(o -> o.getMetadata().getName().equals(like.getMetadata().getName())).findFirst();
    }
}
