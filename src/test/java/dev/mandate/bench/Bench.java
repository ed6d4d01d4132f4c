package dev.mandate.bench;

import dev.mandate.api.v1alpha1.AgentBinding;
import dev.mandate.api.v1alpha1.AgentBindingStatus;
import dev.mandate.api.v1alpha1.AgentOwner;
import dev.mandate.api.v1alpha1.Metadata;
import dev.mandate.api.v1alpha1.Phase;
import dev.mandate.e2e.Agent;
import dev.mandate.e2e.AuditLog;
import dev.mandate.e2e.E2ECluster;
import dev.mandate.e2e.OperatorProcess;
import dev.mandate.testing.Fixtures;
import dev.mandate.testing.Guardrails;
import dev.mandate.time.Times;
import dev.mandate.token.AnchorSecrets;
import dev.mandate.token.DeliverySecrets;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Mandate's benchmark against the real API server of hack/kube.sh: the API server's own ceiling
 * for Mandate's writes, issue throughput, restart cost, rotation lag, revocation latency (expiry
 * and an owner's departure) and memory. Run by hack/bench.sh; prints a table and writes it to
 * target/bench/results.md. Not a test: it measures, it does not assert.
 */
public final class Bench {

    static final String OWNER = "bench-owner";
    static final String LEAVER = "bench-leaver";
    static final int NAMESPACES = 10;

    final int n = Integer.getInteger("bench.n", 1000);
    final int big = Integer.getInteger("bench.big", 10_000);
    final int unrelated = Integer.getInteger("bench.unrelated", 10_000);
    final Set<String> sections = Set.of(System.getProperty("bench.sections",
            "memory,ceiling,issue,restart,rotation,expiry,departure,big,unrelated").split(","));
    final int threads = Integer.getInteger("bench.threads", 50);
    final E2ECluster cluster = E2ECluster.get();
    final KubernetesClient admin = cluster.admin;
    final AuditLog audit = cluster.auditLog().orElseThrow(() -> new IllegalStateException("needs hack/kube.sh's audit log"));
    final Map<String, String> results = new LinkedHashMap<>();
    final HttpClient agents = agentClient(cluster.caPem);
    OperatorProcess operator;

    public static void main(String[] args) throws Exception {
        Bench b = new Bench();
        int status = 0;
        try {
            b.run();
        } catch (Exception | Error e) {
            e.printStackTrace();
            status = 1;
        } finally {
            if (b.operator != null) {
                b.operator.stop();
            }
        }
        System.exit(status); // the watch's threads would keep the JVM alive
    }

    void run() throws Exception {
        System.out.printf("Mandate benchmark: N=%d, big=%d, unrelated=%d, %d cores, operator threads %d%n", n, big,
                unrelated, Runtime.getRuntime().availableProcessors(), threads);
        admin.resource(Guardrails.owner(OWNER, true)).serverSideApply();
        admin.resource(Guardrails.owner(LEAVER, true)).serverSideApply();
        watchPhases();
        operator = start("bench");
        if (sections.contains("memory")) {
            memory("memory, 0 bindings");
        }
        double ceiling = sections.contains("ceiling") ? ceiling() : Double.NaN;
        // The first burst meets an operator that has just started (its JIT compiler still busy);
        // the second one meets it warm, as a long-running operator is.
        List<String> cold = List.of();
        List<String> warm = List.of();
        if (sections.contains("issue")) {
            cold = issue("issue, operator just started", n, OWNER, "1h", "5m", ceiling);
            if (sections.contains("memory")) {
                memory("memory, " + n + " bindings");
            }
            warm = issue("issue, operator warm", n, OWNER, "1h", "5m", ceiling);
        }
        if (sections.contains("expiry") && !cold.isEmpty()) {
            expiry(cold);
        }
        if (sections.contains("restart")) {
            restart();
        }
        List<String> rotating = List.of();
        if (sections.contains("rotation")) {
            rotating = rotation();
        }
        if (sections.contains("departure")) {
            if (rotating.isEmpty()) {
                rotating = issue("leaver", n, LEAVER, "1h", "5m", Double.NaN);
            }
            departure(rotating);
        }
        if (sections.contains("big")) {
            // Exactly `big` bindings in the cluster for the memory figure: the earlier sections' go first.
            deleteNamespaces(ns -> ns.startsWith("bench-"));
            issue("big", big, OWNER, "1h", "5m", ceiling);
            memory("memory, " + big + " active bindings");
        }
        if (sections.contains("unrelated")) {
            unrelated();
            memory("memory, " + big + " bindings + " + unrelated + " unrelated Secrets and ServiceAccounts");
        }
        report();
    }

    OperatorProcess start(String name) {
        List<String> options = new ArrayList<>(List.of("-Xmx" + System.getProperty("bench.operator-heap", "1g"),
                "-Dquarkus.operator-sdk.concurrent-reconciliation-threads=" + threads));
        // For profiling, e.g. -Dbench.operator-options=-XX:StartFlightRecording=filename=target/bench/op.jfr
        String extra = System.getProperty("bench.operator-options", "").trim();
        if (!extra.isEmpty()) {
            options.addAll(List.of(extra.split("\\s+")));
        }
        return OperatorProcess.start(cluster, name, options.toArray(String[]::new));
    }

    // ------------------------------------------------------------------------------------ ceiling

    /**
     * The API server's ceiling for Mandate's work: the writes Mandate makes per binding, made by
     * a plain client with the operator's identity and the operator's parallelism, the operator off.
     * Reads (Mandate makes one per first issue) are not part of it.
     */
    double ceiling() throws Exception {
        // The status the ceiling client writes is one Mandate wrote: same fields, same size.
        List<String> templateNs = namespaces("template", true);
        AgentBinding template = createBindings(templateNs.subList(0, 1), 1, OWNER, "1h", "5m", "template").get(0);
        String templateId = template.getMetadata().getNamespace() + "/" + template.getMetadata().getName();
        await(() -> phases.get(templateId) == Phase.Active, Duration.ofMinutes(2));
        AgentBindingStatus templateStatus = binding(templateId).getStatus();
        operator.stop();
        List<String> namespaces = new ArrayList<>(namespaces("ceiling", false));
        List<AgentBinding> bindings = createBindings(namespaces, n, OWNER, "1h", "5m", "ceil");
        try (KubernetesClient as = cluster.operatorClient()) {
            // Warm the client's JIT first, as the operator is warmed before its measured burst: the
            // ceiling must be the best this machine does, not a cold JVM's.
            List<String> warmUp = namespaces("ceiling-warm-up", false);
            namespaces.addAll(warmUp);
            List<AgentBinding> warming = createBindings(warmUp, Math.max(1, n / 2), OWNER, "1h", "5m", "warm");
            parallel(threads, warming.size(), i -> mimic(as, warming.get(i), templateStatus));
            long mark = audit.mark();
            Map<String, Double> cpu = cpu();
            Instant t0 = Instant.now();
            parallel(threads, n, i -> mimic(as, bindings.get(i), templateStatus));
            Duration took = Duration.between(t0, Instant.now());
            cpuUsed("ceiling", cpu, took);
            long writes = audit.since(mark).stream().filter(w -> w.user().equals(AuditLog.OPERATOR)).count();
            double perSecond = writes / seconds(took);
            results.put("ceiling: writes", String.valueOf(writes));
            results.put("ceiling: writes per binding", fmt(writes / (double) n));
            results.put("ceiling: wall time (s)", fmt(seconds(took)));
            results.put("ceiling: writes/s", fmt(perSecond));
            // Clean up before the operator returns: it would revoke these (they are Denied) and
            // disturb what comes next.
            namespaces.forEach(ns -> admin.namespaces().withName(ns).delete());
            await(() -> namespaces.stream().allMatch(ns -> admin.namespaces().withName(ns).get() == null),
                    Duration.ofMinutes(10));
            operator = start("bench-after-ceiling");
            return perSecond;
        }
    }

    /** One binding's writes, as Mandate makes them on first issue. */
    static void mimic(KubernetesClient c, AgentBinding b, AgentBindingStatus template) {
        String ns = b.getMetadata().getNamespace();
        String name = b.getMetadata().getName();
        var owner = dev.mandate.binding.cluster.Ownership.controllerReference(b);
        var sa = c.resource(new ServiceAccountBuilder().withNewMetadata().withName(name).withNamespace(ns)
                .addToLabels(Metadata.MANAGED_BY, Metadata.MANAGED_BY_VALUE).withOwnerReferences(owner).endMetadata()
                .withAutomountServiceAccountToken(false).build()).create();
        c.resource(new io.fabric8.kubernetes.api.model.rbac.RoleBuilder().withNewMetadata().withName(name).withNamespace(ns)
                .addToLabels(Metadata.MANAGED_BY, Metadata.MANAGED_BY_VALUE).withOwnerReferences(owner).endMetadata()
                .withRules(b.getSpec().getScope().getRules().stream().map(dev.mandate.api.v1alpha1.ScopeRule::toPolicyRule).toList()).build()).create();
        for (String[] ref : new String[][] {{"Role", name, name}, {"ClusterRole", "view", name + ":view"}}) {
            c.resource(new RoleBindingBuilder().withNewMetadata().withName(ref[2]).withNamespace(ns)
                    .addToLabels(Metadata.MANAGED_BY, Metadata.MANAGED_BY_VALUE).withOwnerReferences(owner).endMetadata()
                    .withNewRoleRef("rbac.authorization.k8s.io", ref[0], ref[1])
                    .addNewSubject().withKind("ServiceAccount").withName(name).withNamespace(ns).endSubject().build()).create();
        }
        Secret anchor = c.resource(AnchorSecrets.desired(ns, name, 1, sa.getMetadata().getUid(), owner)).create();
        var token = c.serviceAccounts().inNamespace(ns).withName(name).tokenRequest(new TokenRequestBuilder().withNewSpec()
                .withExpirationSeconds(3900L).withNewBoundObjectRef("v1", "Secret", anchor.getMetadata().getName(),
                        anchor.getMetadata().getUid()).endSpec().build());
        c.resource(new SecretBuilder().withNewMetadata().withName(name + "-token").withNamespace(ns)
                .addToLabels(Metadata.MANAGED_BY, Metadata.MANAGED_BY_VALUE).withOwnerReferences(owner).endMetadata()
                .withType("Opaque").withData(DeliverySecrets.data(token.getStatus().getToken(), ns, name,
                        new DeliverySecrets.Endpoint("https://kubernetes.default.svc", "ca")))
                .build()).create();
        AgentBinding status = new AgentBinding();
        status.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(ns).build());
        status.setSpec(null);
        status.setStatus(Serialization.clone(template));
        status.getStatus().setServiceAccountName(name);
        status.getStatus().setTokenSecretName(name + "-token");
        c.resource(status).subresource("status").patch(new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager("bench").withForce(true).build());
        c.v1().events().inNamespace(ns).resource(new EventBuilder().withNewMetadata().withName(name + ".bench")
                .withNamespace(ns).endMetadata().withInvolvedObject(new ObjectReferenceBuilder().withKind("AgentBinding")
                        .withName(name).withNamespace(ns).build()).withReason("Issued").withMessage("bench").withType("Normal")
                .build()).create();
    }

    // -------------------------------------------------------------------------------------- issue

    /** Creates count bindings at once and times them to Ready with a working token. */
    List<String> issue(String label, int count, String owner, String period, String overlap, double ceiling)
            throws Exception {
        String slug = slug(label);
        List<String> namespaces = namespaces(slug, true);
        Map<String, Double> requestsBefore = apiRequests();
        Map<String, Double> cpu = cpu();
        double reconciled = reconciliations();
        long mark = audit.mark();
        Instant t0 = Instant.now();
        List<AgentBinding> bindings = createBindings(namespaces, count, owner, period, overlap, slug);
        Duration created = Duration.between(t0, Instant.now());
        awaitAll(namespaces, count, Phase.Active, Duration.ofMinutes(30));
        Duration ready = Duration.between(t0, Instant.now());
        double reconciles = (reconciliations() - reconciled) / count;
        String k = label + " (" + count + " bindings)";
        cpuUsed(k, cpu, ready);
        logRequests(slug, requestsBefore);
        logOperatorThreads(slug);
        int working = probeAll(bindings, 200);
        long writes = audit.since(mark).stream().filter(w -> w.user().equals(AuditLog.OPERATOR)).count();
        double perBinding = writes / (double) count;
        double rate = count / seconds(ready);
        results.put(k + ": created in (s)", fmt(seconds(created)));
        results.put(k + ": all Ready after (s)", fmt(seconds(ready)));
        results.put(k + ": bindings/s", fmt(rate));
        results.put(k + ": tokens that work (200)", working + "/" + count);
        results.put(k + ": operator writes per binding", fmt(perBinding));
        results.put(k + ": reconciliations per binding", fmt(reconciles));
        if (!Double.isNaN(ceiling)) {
            results.put(k + ": efficiency (bindings/s x writes/binding / ceiling)", fmt(rate * perBinding / ceiling));
        }
        return bindings.stream().map(b -> b.getMetadata().getNamespace() + "/" + b.getMetadata().getName()).toList();
    }

    // ------------------------------------------------------------------------------------ restart

    void restart() throws Exception {
        int all = admin.resources(AgentBinding.class).inAnyNamespace().list().getItems().size();
        long active = phases.values().stream().filter(p -> p == Phase.Active).count();
        operator.stop();
        long mark = audit.mark();
        Instant t0 = Instant.now();
        operator = start("bench-restarted");
        Duration started = Duration.between(t0, Instant.now());
        await(() -> operator.metric("reconciliations_success_total{controller_name=\"agentbindings\"}").orElse(0) >= all,
                Duration.ofMinutes(10));
        Duration steady = Duration.between(t0, Instant.now());
        Thread.sleep(5_000); // a quiet window after the resync: in a benchmark, time is what is measured
        long writes = audit.since(mark).stream().filter(w -> w.user().equals(AuditLog.OPERATOR)).count();
        results.put("restart (" + all + " bindings, " + active + " Active): process ready after (s)", fmt(seconds(started)));
        results.put("restart: every binding reconciled after (s)", fmt(seconds(steady)));
        results.put("restart: writes during the resync and 5 s after", String.valueOf(writes));
    }

    // ----------------------------------------------------------------------------------- rotation

    /** count bindings with the shortest rotation the TokenRequest API allows; lag = done - due. */
    List<String> rotation() throws Exception {
        String period = "5m1s";
        List<String> ids = issue("rotation", n, LEAVER, period, "4m59s", Double.NaN);
        Map<String, Instant> due = new HashMap<>();
        for (String id : ids) {
            AgentBinding b = binding(id);
            due.put(id, Times.parse(b.getStatus().getToken().getIssuedAt()).plusSeconds(301));
        }
        long mark = audit.mark();
        Instant last = Collections.max(due.values());
        List<String> namespaces = ids.stream().map(id -> id.split("/")[0]).distinct().toList();
        await(() -> deliveredGenerations(namespaces).values().stream().filter(g -> g >= 2).count() >= ids.size(),
                Duration.between(Instant.now(), last).plusMinutes(5));
        Map<String, Instant> done = new HashMap<>();
        for (AuditLog.Write w : audit.since(mark)) {
            if (w.user().equals(AuditLog.OPERATOR) && "token".equals(w.subresource()) && w.code() < 300) {
                done.putIfAbsent(w.namespace() + "/" + w.name(), w.at());
            }
        }
        List<Double> lags = ids.stream().filter(done::containsKey)
                .map(id -> Duration.between(due.get(id), done.get(id)).toMillis() / 1000.0).sorted().toList();
        quantiles("rotation lag, done - due (s), " + lags.size() + " rotations", lags);
        return ids;
    }

    // ------------------------------------------------------------------------------------ revoke

    void expiry(List<String> ids) throws Exception {
        Map<String, String> tokens = tokens(ids);
        long mark = audit.mark(); // before the new expiry is set: Mandate may act ahead of it
        Instant at = Instant.now().plusSeconds(30).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        parallel(16, ids.size(), i -> {
            String[] id = ids.get(i).split("/");
            admin.resources(AgentBinding.class).inNamespace(id[0]).withName(id[1]).patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"spec\":{\"expiresAt\":\"" + Times.format(at) + "\"}}");
        });
        while (Instant.now().isBefore(at)) {
            Thread.sleep(50); // a benchmark waiting for the instant it scheduled
        }
        revocation("expiry of " + ids.size() + " bindings at one instant", ids, tokens, mark, at);
    }

    void departure(List<String> ids) throws Exception {
        Map<String, String> tokens = tokens(ids);
        long mark = audit.mark();
        Instant due = Instant.now();
        admin.resources(AgentOwner.class).withName(LEAVER).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"active\":false}}");
        revocation("departure of an owner with " + ids.size() + " bindings", ids, tokens, mark, due);
    }

    Map<String, String> tokens(List<String> ids) {
        Map<String, String> tokens = new HashMap<>();
        for (String id : ids) {
            String[] p = id.split("/");
            Secret s = admin.secrets().inNamespace(p[0]).withName(p[1] + "-token").get();
            tokens.put(id, DeliverySecrets.token(s).orElseThrow());
        }
        return tokens;
    }

    /**
     * From the due time to the RoleBindings deleted (the audit log; negative when Mandate removed
     * them ahead of an expiry) and to the token rejected (401, probed from the due time on).
     */
    void revocation(String what, List<String> ids, Map<String, String> tokens, long mark, Instant due) throws Exception {
        Map<String, Instant> rejected = new ConcurrentHashMap<>();
        Instant deadline = due.plusSeconds(120);
        while (rejected.size() < ids.size() && Instant.now().isBefore(deadline)) {
            List<String> open = ids.stream().filter(id -> !rejected.containsKey(id)).toList();
            parallel(16, open.size(), i -> {
                String id = open.get(i);
                if (status(tokens.get(id), id.split("/")[0]) == 401) {
                    rejected.putIfAbsent(id, Instant.now());
                }
            });
        }
        Map<String, Instant> unbound = new HashMap<>();
        for (AuditLog.Write w : audit.since(mark)) {
            if (w.user().equals(AuditLog.OPERATOR) && w.verb().equals("delete") && w.resource().equals("rolebindings")) {
                String binding = w.name().contains(":") ? w.name().substring(0, w.name().indexOf(':')) : w.name();
                unbound.merge(w.namespace() + "/" + binding, w.at(), (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        quantiles(what + ": due -> RoleBindings deleted (s)", ids.stream().filter(unbound::containsKey)
                .map(id -> Duration.between(due, unbound.get(id)).toMillis() / 1000.0).sorted().toList());
        quantiles(what + ": due -> token rejected, 401 (s)", ids.stream().filter(rejected::containsKey)
                .map(id -> Duration.between(due, rejected.get(id)).toMillis() / 1000.0).sorted().toList());
        results.put(what + ": tokens rejected within 120 s", rejected.size() + "/" + ids.size());
    }

    // ------------------------------------------------------------------------------------- memory

    void unrelated() throws Exception {
        String ns = "bench-unrelated";
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).serverSideApply();
        Instant t0 = Instant.now();
        parallel(16, unrelated, i -> {
            admin.resource(new SecretBuilder().withNewMetadata().withName("unrelated-" + i).withNamespace(ns).endMetadata()
                    .addToStringData("payload", "x".repeat(512)).build()).create();
            admin.resource(new ServiceAccountBuilder().withNewMetadata().withName("unrelated-" + i).withNamespace(ns)
                    .endMetadata().build()).create();
        });
        results.put("unrelated: " + unrelated + " Secrets and ServiceAccounts created in (s)",
                fmt(seconds(Duration.between(t0, Instant.now()))));
    }

    void memory(String label) throws Exception {
        long pid = operator.pid();
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        run(List.of(jcmd.toString(), String.valueOf(pid), "GC.run"));
        String heap = run(List.of(jcmd.toString(), String.valueOf(pid), "GC.heap_info"));
        long usedKb = heap.lines().filter(l -> l.contains("used")).findFirst()
                .map(l -> l.replaceAll(".*used ([0-9]+)K.*", "$1")).map(Long::parseLong).orElse(-1L);
        long rssKb = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith("VmRSS:")).map(l -> l.replaceAll("[^0-9]", "")).map(Long::parseLong)
                .findFirst().orElse(-1L);
        Path histogram = Path.of("target", "bench", "logs", slug(label) + ".histogram.txt");
        Files.writeString(histogram, run(List.of(jcmd.toString(), String.valueOf(pid), "GC.class_histogram")));
        results.put(label + ": heap after GC (MiB)", fmt(usedKb / 1024.0));
        results.put(label + ": RSS (MiB)", fmt(rssKb / 1024.0));
    }

    // ------------------------------------------------------------------------------------ helpers

    void deleteNamespaces(java.util.function.Predicate<String> which) throws Exception {
        List<String> names = admin.namespaces().list().getItems().stream().map(ns -> ns.getMetadata().getName())
                .filter(which).toList();
        names.forEach(ns -> admin.namespaces().withName(ns).delete());
        await(() -> names.stream().allMatch(ns -> admin.namespaces().withName(ns).get() == null), Duration.ofMinutes(20));
    }

    double reconciliations() {
        return operator.metric("reconciliations_started_total{controller_name=\"agentbindings\"}").orElse(0);
    }

    /** CPU seconds used so far by each process of the benchmark (from /proc). */
    Map<String, Double> cpu() throws Exception {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String name : List.of("kube-apiserver", "etcd", "kube-controller-manager")) {
            Path pidFile = cluster.kubeDir.resolve("pids").resolve(name + ".pid");
            if (Files.exists(pidFile)) {
                out.put(name, cpuSeconds(Long.parseLong(Files.readString(pidFile).trim())));
            }
        }
        out.put("operator", operator == null || !operator.isAlive() ? 0 : cpuSeconds(operator.pid()));
        out.put("harness", cpuSeconds(ProcessHandle.current().pid()));
        return out;
    }

    static double cpuSeconds(long pid) throws Exception {
        return cpuSeconds(Files.readString(Path.of("/proc/" + pid + "/stat")));
    }

    static double cpuSeconds(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime + stime, in USER_HZ (100)
    }

    /** Where the CPU went during a section: seconds per process, and the share of both cores. */
    void cpuUsed(String label, Map<String, Double> before, Duration wall) throws Exception {
        Map<String, Double> after = cpu();
        StringBuilder b = new StringBuilder();
        double total = 0;
        for (var e : after.entrySet()) {
            double used = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
            total += used;
            b.append(b.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(fmt(used));
        }
        results.put(label + ": CPU seconds (" + fmt(total / (seconds(wall) * Runtime.getRuntime().availableProcessors()) * 100)
                + "% of the cores)", b.toString());
    }

    /** The operator's CPU seconds by thread name (JIT, GC, reconcilers, HTTP), for profiling. */
    void logOperatorThreads(String label) throws Exception {
        Map<String, Double> byName = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + operator.pid() + "/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[-#]?[0-9]+$", "");
                    byName.merge(comm, cpuSeconds(stat), Double::sum);
                } catch (java.io.IOException gone) {
                    // the thread ended
                }
            }
        }
        StringBuilder b = new StringBuilder();
        byName.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> b.append(String.format(Locale.ROOT, "%8.2f  %s%n", e.getValue(), e.getKey())));
        Files.writeString(Path.of("target", "bench", "logs", label + ".operator-threads.txt"), b.toString());
    }

    /** The API server's request counters (apiserver_request_total) by verb, resource and subresource. */
    Map<String, Double> apiRequests() {
        Map<String, Double> out = new HashMap<>();
        for (String line : admin.raw("/metrics").split("\n")) {
            if (!line.startsWith("apiserver_request_total{")) {
                continue;
            }
            String labels = line.substring(line.indexOf('{') + 1, line.lastIndexOf('}'));
            Map<String, String> l = new HashMap<>();
            for (var m : java.util.regex.Pattern.compile("(\\w+)=\"([^\"]*)\"").matcher(labels).results().toList()) {
                l.put(m.group(1), m.group(2));
            }
            String key = l.getOrDefault("verb", "") + " " + l.getOrDefault("resource", "")
                    + (l.getOrDefault("subresource", "").isEmpty() ? "" : "/" + l.get("subresource"));
            out.merge(key, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
        }
        return out;
    }

    /** What the API server served while a section ran (everyone's requests), for profiling. */
    void logRequests(String label, Map<String, Double> before) throws Exception {
        Map<String, Double> after = apiRequests();
        StringBuilder b = new StringBuilder();
        after.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0.0)))
                .filter(e -> e.getValue() > 0).sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> b.append(String.format(Locale.ROOT, "%10.0f  %s%n", e.getValue(), e.getKey())));
        Files.createDirectories(Path.of("target", "bench", "logs"));
        Files.writeString(Path.of("target", "bench", "logs", label + ".api-requests.txt"), b.toString());
    }

    List<String> namespaces(String label, boolean agents) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < NAMESPACES; i++) {
            String name = "bench-" + label + "-" + i;
            var ns = new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build();
            if (agents) {
                ns.getMetadata().setLabels(Map.of("mandate.dev/agents", "enabled"));
            }
            admin.resource(ns).serverSideApply();
            out.add(name);
        }
        return out;
    }

    List<AgentBinding> createBindings(List<String> namespaces, int count, String owner, String period, String overlap,
            String prefix) throws Exception {
        AgentBinding[] out = new AgentBinding[count];
        parallel(16, count, i -> {
            AgentBinding b = Fixtures.binding(namespaces.get(i % namespaces.size()), prefix + "-" + i);
            b.getSpec().setOwner(owner);
            b.getSpec().getRotation().setPeriod(period);
            b.getSpec().getRotation().setOverlap(overlap);
            out[i] = admin.resource(b).create();
        });
        return List.of(out);
    }

    /**
     * Waits for count bindings in these namespaces to reach the phase, as seen by one watch (a list
     * of thousands of bindings every poll would load the API server the benchmark measures).
     */
    void awaitAll(List<String> namespaces, int count, Phase phase, Duration within) throws Exception {
        Set<String> in = Set.copyOf(namespaces);
        await(() -> phases.entrySet().stream().filter(e -> in.contains(e.getKey().split("/")[0]))
                .filter(e -> e.getValue() == phase).count() >= count, within);
    }

    /** Phase of every binding, kept by a watch. */
    final Map<String, Phase> phases = new ConcurrentHashMap<>();

    void watchPhases() {
        admin.resources(AgentBinding.class).inAnyNamespace().inform(new io.fabric8.kubernetes.client.informers.ResourceEventHandler<>() {
            @Override
            public void onAdd(AgentBinding b) {
                onUpdate(null, b);
            }

            @Override
            public void onUpdate(AgentBinding old, AgentBinding b) {
                String id = b.getMetadata().getNamespace() + "/" + b.getMetadata().getName();
                if (b.getStatus() != null && b.getStatus().getPhase() != null) {
                    phases.put(id, b.getStatus().getPhase());
                }
            }

            @Override
            public void onDelete(AgentBinding b, boolean unknown) {
                phases.remove(b.getMetadata().getNamespace() + "/" + b.getMetadata().getName());
            }
        });
    }

    int probeAll(List<AgentBinding> bindings, int expected) throws Exception {
        Map<Integer, Integer> byStatus = new ConcurrentHashMap<>();
        parallel(16, bindings.size(), i -> {
            AgentBinding b = bindings.get(i);
            Secret s = admin.secrets().inNamespace(b.getMetadata().getNamespace()).withName(b.getMetadata().getName() + "-token").get();
            int code = s == null ? -1 : status(DeliverySecrets.token(s).orElse(""), b.getMetadata().getNamespace());
            byStatus.merge(code, 1, Integer::sum);
        });
        return byStatus.getOrDefault(expected, 0);
    }

    int status(String token, String ns) {
        try {
            return agents.send(HttpRequest.newBuilder(URI.create(cluster.server + "/api/v1/namespaces/" + ns + "/configmaps?limit=1"))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    AgentBinding binding(String id) {
        String[] p = id.split("/");
        return admin.resources(AgentBinding.class).inNamespace(p[0]).withName(p[1]).get();
    }

    /** Token generation per delivery Secret, with one list per namespace. */
    Map<String, Long> deliveredGenerations(List<String> namespaces) {
        Map<String, Long> out = new HashMap<>();
        for (String ns : namespaces) {
            admin.secrets().inNamespace(ns).withLabel(Metadata.COMPONENT, Metadata.COMPONENT_DELIVERY).list().getItems()
                    .forEach(s -> out.put(ns + "/" + s.getMetadata().getName(), DeliverySecrets.recordedGeneration(s)));
        }
        return out;
    }

    void quantiles(String label, List<Double> sorted) {
        if (sorted.isEmpty()) {
            results.put(label, "no samples");
            return;
        }
        results.put(label + " p50 / p95 / p99 / max", String.join(" / ", List.of(q(sorted, 0.50), q(sorted, 0.95),
                q(sorted, 0.99), fmt(sorted.get(sorted.size() - 1)))) + "  (n=" + sorted.size() + ")");
    }

    static String q(List<Double> sorted, double q) {
        return fmt(sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1)));
    }

    static void parallel(int threads, int count, IntConsumer work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int k = i;
                fs.add(pool.submit(() -> work.accept(k)));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void await(Check check, Duration within) throws Exception {
        Instant end = Instant.now().plus(within);
        while (!check.ok()) {
            if (Instant.now().isAfter(end)) {
                throw new IllegalStateException("not reached within " + within);
            }
            Thread.sleep(250); // polling in a benchmark harness; tests use Awaitility
        }
    }

    static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    static String slug(String label) {
        return label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }

    static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.2f", v);
    }

    static HttpClient agentClient(String caPem) {
        return HttpClient.newBuilder().sslContext(Agent.trusting(caPem)).connectTimeout(Duration.ofSeconds(5)).build();
    }

    void report() throws Exception {
        StringBuilder b = new StringBuilder();
        b.append("| measurement | value |\n|---|---|\n");
        results.forEach((k, v) -> b.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        System.out.println();
        System.out.println(b);
        Path out = Path.of("target", "bench", "results.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, "Mandate benchmark, " + Instant.now() + ", N=" + n + ", big=" + big + ", unrelated="
                + unrelated + "\n\n" + b);
        System.out.println("written to " + out);
    }

}
