package dev.sentinel.systemtests.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Makes requests for the operations of an OpenAPI document (as a service serves it at
 * {@code /q/openapi}): for each operation a valid request, then that request with one thing
 * wrong — a required member missing, a member of the wrong type or null, strings at and over
 * their length limit, huge, negative and fractional numbers, unicode edge cases (NUL, a lone
 * surrogate, RTL and zero-width marks), injection strings, a body that is not the object asked
 * for or not JSON at all, a wrong content type or Accept, path and query values of the wrong type — and
 * with the caller varied: the role the operation wants, another role, no token, garbage, a token
 * signed by a stranger, expired or unsigned. Everything random comes from one seeded
 * {@link Random}, so a seed gives the same cases (the users' ids aside).
 *
 * <p>Plain Java on a Jackson tree: what the document says is read as JSON Schema (3.1's
 * {@code type: [t, "null"]} and numeric {@code exclusiveMinimum} included), {@code $ref}s
 * resolved against {@code components}.
 */
public final class SpecFuzzer {

    /** Who calls: the token a case carries. */
    public enum Caller { USER, ADMIN, SERVICE, NONE, GARBAGE, STRANGER, EXPIRED, UNSIGNED }

    /** One operation of a document. */
    public record Operation(String id, String method, String path, JsonNode spec, boolean secured) {

        public String label() {
            return method.toUpperCase(Locale.ROOT) + " " + path;
        }
    }

    /**
     * One request: what it tries ({@code kind}), who calls, the raw path with its query, headers,
     * the content type (null: none sent), the Accept header and the body bytes (null: none).
     */
    public record Case(String kind, Caller caller, String method, String rawPath, Map<String, String> headers,
            String contentType, String accept, byte[] body) {

        /** The body as a reader sees it, shortened, for a finding. */
        public String bodyPreview() {
            if (body == null) {
                return "(none)";
            }
            String text = new String(body, StandardCharsets.UTF_8);
            return text.length() <= 300 ? text : text.substring(0, 300) + "… (" + body.length + " bytes)";
        }
    }

    /** Values that fill a path or body member named so, where the document's schema says too little. */
    public record Known(String targetUserId, String actingAdminId) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");

    /** Strings meant to break parsers, databases, templates and logs. */
    static final List<String> NASTY = List.of(
            "\u0000", "a\u0000b", "\u202Eevil\u202C", "\u200F\u200Eltr", "\u200B", "\uFEFFbom", "\uFFFF", "😀🏳️‍🌈",
            "e\u0301\u0301\u0301\u0301", "' OR '1'='1' --", "\"; DROP TABLE users; --", "<script>alert(1)</script>",
            "${jndi:ldap://127.0.0.1/x}", "{{7*7}}", "#{7*7}", "../../../../etc/passwd", "%00", "%s%s%s%n",
            "\r\nX-Injected: 1", "null", "true", "-1", "NaN", " ", "\t\n", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "ﷺ", "ا\u0644عربية");

    private final JsonNode document;
    private final Random random;
    private final Known known;

    public SpecFuzzer(JsonNode document, Random random, Known known) {
        this.document = document;
        this.random = random;
        this.known = known;
    }

    /** Every operation of the document, in document order. */
    public List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (String method : METHODS) {
                JsonNode spec = path.getValue().get(method);
                if (spec != null) {
                    JsonNode security = spec.has("security") ? spec.get("security") : document.path("security");
                    operations.add(new Operation(spec.path("operationId").asText(method + " " + path.getKey()), method,
                            path.getKey(), spec, security.isArray() && !security.isEmpty()));
                }
            }
        }
        return operations;
    }

    /** The role a caller of this operation needs, guessed from where it lives (the document does not say). */
    public static Caller wantedRole(Operation operation) {
        String path = operation.path();
        if (path.startsWith("/v1/auth/internal/") && path.endsWith("/sessions/revoke")
                || path.startsWith("/v1/admin/accounts/") && path.contains("/spend")) {
            return Caller.SERVICE;
        }
        if (path.startsWith("/v1/auth/internal/") || path.startsWith("/v1/admin/") || path.startsWith("/v1/notifications/")) {
            return Caller.ADMIN;
        }
        return Caller.USER;
    }

    /**
     * The {@code index}-th case for an operation: 0 is the valid request from the first of
     * {@code callers} (the one the operation wants); every other case has one fault, which may
     * be the caller (then one of the others).
     */
    public Case next(Operation operation, int index, List<Caller> callers) {
        Request request = valid(operation);
        if (index == 0) {
            return request.toCase("valid", callers.get(0), operation.method());
        }
        List<String> kinds = faults(operation, request);
        String kind = apply(kinds.get(random.nextInt(kinds.size())), operation, request);
        Caller caller = random.nextInt(100) < 70 || callers.size() == 1 ? callers.get(0) : pick(callers.subList(1, callers.size()));
        if (kind.equals("caller") && callers.size() > 1) {
            caller = pick(callers.subList(1, callers.size()));
        }
        return request.toCase(kind, caller, operation.method());
    }

    /** The request as the document describes it, with a value for every parameter and member. */
    private Request valid(Operation operation) {
        Request request = new Request(operation.path());
        // What the operation answers (its 2xx media types) and problems, as a client would ask.
        List<String> accepted = new ArrayList<>();
        operation.spec().path("responses").fields().forEachRemaining(response -> {
            if (response.getKey().startsWith("2")) {
                resolve(response.getValue()).path("content").fieldNames().forEachRemaining(accepted::add);
            }
        });
        request.documentedTypes = String.join(", ", accepted);
        accepted.add("application/problem+json");
        accepted.add("*/*;q=0.1");
        request.accept = String.join(", ", accepted);
        for (JsonNode parameter : operation.spec().path("parameters")) {
            JsonNode p = resolve(parameter);
            String name = p.path("name").asText();
            String in = p.path("in").asText();
            JsonNode schema = resolve(p.path("schema"));
            switch (in) {
                case "path" -> request.path.put(name, pathValue(name, operation.path()));
                case "query" -> {
                    boolean sealed = List.of("cursor", "plan", "size", "treeSize").contains(name); // no valid guess
                    if (p.path("required").asBoolean() || !sealed && random.nextBoolean()) {
                        request.query.put(name, scalarText(queryValue(name, schema, operation.path())));
                    }
                }
                case "header" -> request.headers.put(name, headerValue(name));
                default -> { } // cookies: the refresh cookie mode, left out of the valid request
            }
        }
        JsonNode content = operation.spec().path("requestBody").path("content");
        if (content.has("application/json")) {
            request.contentType = "application/json";
            request.json = value("body", resolve(content.path("application/json").path("schema")), 0);
        } else if (content.has("application/x-www-form-urlencoded")) {
            request.contentType = "application/x-www-form-urlencoded";
            request.form = new LinkedHashMap<>();
            Iterator<String> names = resolve(content.path("application/x-www-form-urlencoded").path("schema"))
                    .path("properties").fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                // never the suite's real client: a wrong secret must not count against it
                request.form.put(name, name.equals("grant_type") ? "client_credentials" : "fuzz-" + word(8));
            }
        }
        return request;
    }

    /** The faults that make sense for this operation's request. */
    private List<String> faults(Operation operation, Request request) {
        List<String> kinds = new ArrayList<>(List.of("caller", "caller", "accept:wrong"));
        if (!request.documentedTypes.isEmpty()) {
            kinds.add("accept:documented");
        }
        if (!request.path.isEmpty()) {
            kinds.addAll(List.of("path:nasty", "path:wrong-type", "path:huge", "path:unknown-id"));
        }
        if (!request.query.isEmpty() || hasQuery(operation)) {
            kinds.addAll(List.of("query:wrong-type", "query:nasty", "query:number-edge", "query:huge", "query:missing",
                    "query:repeated"));
        }
        if (!request.headers.isEmpty()) {
            kinds.add("header:nasty");
        }
        if (request.json != null) {
            kinds.addAll(List.of("body:missing-required", "body:wrong-type", "body:null-member", "body:length-edge",
                    "body:number-edge", "body:nasty", "body:lone-surrogate", "body:unknown-member", "body:not-an-object",
                    "body:malformed", "body:empty", "body:deep", "body:invalid-utf8", "content-type:wrong",
                    "content-type:none"));
        } else if (request.form != null) {
            kinds.addAll(List.of("form:nasty", "form:missing", "content-type:wrong", "body:empty"));
        } else {
            kinds.add("body:unexpected");
        }
        return kinds;
    }

    private String apply(String kind, Operation operation, Request request) {
        switch (kind) {
            case "path:nasty" -> request.path.replaceAll((k, v) -> random.nextInt(3) == 0 ? v : pick(NASTY));
            case "path:wrong-type" -> request.path.replaceAll((k, v) -> pick(List.of("-1", "0", "1.5", "true",
                    "99999999999999999999999", "not-a-uuid", UUID.randomUUID() + "x")));
            case "path:huge" -> request.path.replaceAll((k, v) -> "a".repeat(random.nextBoolean() ? 129 : 3000));
            case "path:unknown-id" -> request.path.replaceAll((k, v) -> UUID.randomUUID().toString());
            case "query:wrong-type" -> queryFault(operation, request, s -> pick(List.of("abc", "1.5", "[]", "{}",
                    "0x10", "1e3", "true", "--1")));
            case "query:nasty" -> queryFault(operation, request, s -> pick(NASTY));
            case "query:number-edge" -> queryFault(operation, request, s -> pick(List.of("0", "-1", "-2147483649",
                    "2147483648", "9223372036854775808", "-9223372036854775809", "99999999999999999999999999")));
            case "query:huge" -> queryFault(operation, request, s -> "q".repeat(random.nextBoolean() ? 300 : 3000));
            case "query:missing" -> {
                if (request.query.isEmpty()) {
                    return "caller";
                }
                request.query.remove(pick(new ArrayList<>(request.query.keySet())));
            }
            case "query:repeated" -> {
                if (request.query.isEmpty()) {
                    return "caller";
                }
                request.repeatQuery = true;
            }
            case "header:nasty" -> request.headers.replaceAll((k, v) -> pick(NASTY).replace("\r\n", "").replace("\u0000", "")
                    .replace("\n", "").replace("\t", ""));
            case "body:missing-required" -> {
                List<String> required = requiredOf(bodySchema(operation));
                if (required.isEmpty() || !(request.json instanceof ObjectNode object)) {
                    return "caller";
                }
                object.remove(random.nextInt(4) == 0 ? required : List.of(pick(required)));
            }
            case "body:wrong-type" -> mutateMember(request, operation, (name, schema) -> wrongType(schema));
            case "body:null-member" -> mutateMember(request, operation, (name, schema) -> NODES.nullNode());
            case "body:length-edge" -> mutateMember(request, operation, (name, schema) -> {
                int max = schema.path("maxLength").asInt(255);
                int length = pick(List.of(0, max, max + 1, max * 4 + 1, 100_000));
                return TextNode.valueOf(pick(List.of("a", "é", "😀")).repeat(length));
            });
            case "body:number-edge" -> mutateMember(request, operation, (name, schema) -> pick(List.of(
                    NODES.numberNode(0), NODES.numberNode(-1), NODES.numberNode(Long.MIN_VALUE),
                    NODES.numberNode(Long.MAX_VALUE), NODES.numberNode(new BigInteger("9223372036854775808")),
                    NODES.numberNode(new BigInteger("-99999999999999999999999999999")), NODES.numberNode(1.5),
                    NODES.numberNode(new BigDecimal("1e400")), NODES.numberNode(-0.0),
                    NODES.numberNode(Integer.MAX_VALUE + 1L), NODES.numberNode(101))));
            case "body:nasty" -> mutateMember(request, operation, (name, schema) -> TextNode.valueOf(pick(NASTY)));
            case "body:lone-surrogate" -> {
                // Jackson writes a lone surrogate as '?'; the escape must reach the server as JSON text.
                if (!mutateMember(request, operation, (name, schema) -> TextNode.valueOf("LONE_SURROGATE"))) {
                    return "caller";
                }
                request.raw = request.jsonText().replace("LONE_SURROGATE", pick(List.of("\\ud800", "a\\udfff", "\\udc00\\ud800")))
                        .getBytes(StandardCharsets.UTF_8);
            }
            case "body:unknown-member" -> {
                if (!(request.json instanceof ObjectNode object)) {
                    return "caller";
                }
                object.put(pick(List.of("id", "roles", "admin", "__proto__", "status", "x" + word(4))),
                        pick(List.of("ADMIN", "x")));
            }
            case "body:not-an-object" -> request.raw = pick(List.of("[]", "\"text\"", "42", "null", "true", "[{}]"))
                    .getBytes(StandardCharsets.UTF_8);
            case "body:malformed" -> {
                String text = request.jsonText();
                request.raw = pick(List.of(text.substring(0, Math.max(1, text.length() / 2)), text + "}", "{'a': 1}",
                        "{\"a\":1,}", text.replace("\"", ""), "{\"a\": 01}", "\u0000")).getBytes(StandardCharsets.UTF_8);
            }
            case "body:empty" -> request.raw = new byte[0];
            case "body:deep" -> request.raw = ("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8);
            case "body:invalid-utf8" -> {
                byte[] text = request.jsonText().getBytes(StandardCharsets.UTF_8);
                byte[] broken = new byte[text.length + 3];
                System.arraycopy(text, 0, broken, 0, text.length);
                int quote = request.jsonText().indexOf("\":\"");
                int at = quote < 0 ? 1 : quote + 3;
                System.arraycopy(text, 0, broken, 0, at);
                broken[at] = (byte) 0xC3;
                broken[at + 1] = (byte) 0x28;
                broken[at + 2] = (byte) 0xFF;
                System.arraycopy(text, at, broken, at + 3, text.length - at);
                request.raw = broken;
            }
            case "body:unexpected" -> {
                request.contentType = "application/json";
                request.raw = pick(List.of("{\"x\":1}", "[]", "not json")).getBytes(StandardCharsets.UTF_8);
            }
            case "content-type:wrong" -> request.contentType = pick(List.of("text/plain", "application/xml",
                    "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json-patch+json",
                    "text/html; charset=utf-8", "application/octet-stream", "*/*", "application"));
            case "content-type:none" -> request.contentType = null;
            case "accept:documented" -> request.accept = request.documentedTypes;
            case "accept:wrong" -> request.accept = pick(List.of("text/html", "application/xml", "image/png",
                    "application/json;q=0, text/html", "garbage"));
            case "form:nasty" -> request.form.replaceAll((k, v) -> pick(NASTY));
            case "form:missing" -> request.form.remove(pick(new ArrayList<>(request.form.keySet())));
            default -> { }
        }
        return kind;
    }

    private boolean hasQuery(Operation operation) {
        for (JsonNode parameter : operation.spec().path("parameters")) {
            if (resolve(parameter).path("in").asText().equals("query")) {
                return true;
            }
        }
        return false;
    }

    /** Puts a wrong value into one query parameter (one the request lacked, perhaps). */
    private void queryFault(Operation operation, Request request, Function<JsonNode, String> wrong) {
        List<JsonNode> parameters = new ArrayList<>();
        for (JsonNode parameter : operation.spec().path("parameters")) {
            JsonNode p = resolve(parameter);
            if (p.path("in").asText().equals("query")) {
                parameters.add(p);
            }
        }
        JsonNode chosen = pick(parameters);
        request.query.put(chosen.path("name").asText(), wrong.apply(resolve(chosen.path("schema"))));
    }

    /** Replaces one member of the JSON body (one at any depth of the top object) with what {@code change} makes. */
    private boolean mutateMember(Request request, Operation operation,
            BiFunction<String, JsonNode, JsonNode> change) {
        JsonNode schema = bodySchema(operation);
        if (!(request.json instanceof ObjectNode object)) {
            return false;
        }
        List<String> names = new ArrayList<>();
        schema.path("properties").fieldNames().forEachRemaining(names::add);
        if (names.isEmpty()) {
            return false;
        }
        String name = pick(names);
        JsonNode member = resolve(schema.path("properties").path(name));
        if (isType(member, "array") && random.nextBoolean()) {
            ArrayNode array = NODES.arrayNode();
            array.add(change.apply(name, resolve(member.path("items"))));
            object.set(name, array);
        } else {
            object.set(name, change.apply(name, member));
        }
        return true;
    }

    private JsonNode wrongType(JsonNode schema) {
        List<JsonNode> choices = new ArrayList<>(List.of(NODES.arrayNode().add("x"), NODES.objectNode().put("a", 1),
                NODES.booleanNode(true)));
        if (!isType(schema, "string")) {
            choices.add(TextNode.valueOf("abc"));
        }
        if (!isType(schema, "integer") && !isType(schema, "number")) {
            choices.add(NODES.numberNode(7));
        }
        return pick(choices);
    }

    /** A valid value for a member: what its schema allows, with known names filled the way a caller would. */
    private JsonNode value(String name, JsonNode schema, int depth) {
        schema = resolve(schema);
        if (schema.has("enum")) {
            List<JsonNode> values = new ArrayList<>();
            schema.path("enum").forEach(v -> {
                if (!v.isNull()) {
                    values.add(v);
                }
            });
            return values.isEmpty() ? NODES.nullNode() : pick(values);
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (isType(schema, "object") || schema.has("properties")) {
            ObjectNode object = NODES.objectNode();
            List<String> required = requiredOf(schema);
            Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields();
            while (properties.hasNext() && depth < 4) {
                Map.Entry<String, JsonNode> property = properties.next();
                if (required.contains(property.getKey()) || random.nextInt(3) > 0) {
                    object.set(property.getKey(), value(property.getKey(), property.getValue(), depth + 1));
                }
            }
            return object;
        }
        if (isType(schema, "array")) {
            ArrayNode array = NODES.arrayNode();
            if (lower.equals("roles")) {
                return array.add("USER");
            }
            int items = Math.max(schema.path("minItems").asInt(1), 1);
            for (int i = 0; i < items; i++) {
                array.add(value(name, schema.path("items"), depth + 1));
            }
            return array;
        }
        if (isType(schema, "integer") || isType(schema, "number")) {
            long min = schema.has("minimum") ? schema.path("minimum").asLong() : 1;
            if (schema.path("exclusiveMinimum").isNumber()) {
                min = Math.max(min, schema.path("exclusiveMinimum").asLong() + 1);
            }
            long max = schema.has("maximum") ? schema.path("maximum").asLong() : min + 500;
            return NODES.numberNode(min + (long) random.nextInt((int) Math.min(Integer.MAX_VALUE, Math.max(1, max - min + 1))));
        }
        if (isType(schema, "boolean")) {
            return NODES.booleanNode(random.nextBoolean());
        }
        return TextNode.valueOf(text(lower, schema));
    }

    private String text(String name, JsonNode schema) {
        String format = schema.path("format").asText();
        if (name.contains("email")) {
            return "fuzz-" + word(10) + "@fuzz.sentinel.test";
        }
        if (name.contains("password")) {
            return "Fz-" + word(20) + "-9";
        }
        if (name.equals("language")) {
            return "en";
        }
        if (name.contains("tokendelivery")) {
            return "body";
        }
        if (format.equals("uuid") || name.endsWith("id") && name.length() > 2) {
            return UUID.randomUUID().toString();
        }
        if (format.equals("date-time")) {
            return "2026-11-30T12:00:00Z";
        }
        int max = schema.path("maxLength").asInt(24);
        return word(Math.max(1, Math.min(max, 12)));
    }

    private String pathValue(String name, String template) {
        if (name.equals("seq")) {
            return String.valueOf(1 + random.nextInt(3));
        }
        if (name.equals("userId") || name.equals("id") && !template.contains("/reservations/")) {
            return known.targetUserId(); // the fuzz run's own target, never an actor or the seeded admin
        }
        return UUID.randomUUID().toString();
    }

    private JsonNode queryValue(String name, JsonNode schema, String path) {
        if (path.endsWith("/consistency") && (name.equals("from") || name.equals("to"))) {
            return NODES.numberNode(name.equals("from") ? 1 : 2); // tree sizes
        }
        return switch (name) {
            case "limit" -> NODES.numberNode(1 + random.nextInt(50));
            case "count", "verified", "mfa" -> NODES.booleanNode(random.nextBoolean());
            case "from", "to", "createdFrom", "createdTo" -> TextNode.valueOf("2026-11-" + (10 + random.nextInt(20))
                    + "T00:00:00Z");
            case "size", "treeSize" -> NODES.numberNode(1 + random.nextInt(5));
            case "format" -> TextNode.valueOf(pick(List.of("csv", "jsonl")));
            case "sort" -> TextNode.valueOf(pick(List.of("email", "created", "-created")));
            case "status" -> TextNode.valueOf(pick(List.of("ACTIVE", "LOCKED")));
            case "role" -> TextNode.valueOf(pick(List.of("USER", "ADMIN")));
            case "subject", "actor" -> TextNode.valueOf(known.targetUserId());
            case "outcome" -> TextNode.valueOf(pick(List.of("success", "failure")));
            case "ip" -> TextNode.valueOf("127.0.0.1");
            case "type" -> TextNode.valueOf("user.registered");
            case "token", "cursor" -> TextNode.valueOf(word(16));
            default -> value(name, schema, 0);
        };
    }

    private String headerValue(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "x-acting-admin" -> known.actingAdminId();
            case "accept-language" -> pick(List.of("en", "ar", "fr-CH, fr;q=0.9", "*"));
            default -> word(16);
        };
    }

    private static String scalarText(JsonNode value) {
        return value.isArray() && !value.isEmpty() ? value.get(0).asText() : value.asText();
    }

    private JsonNode bodySchema(Operation operation) {
        return resolve(operation.spec().path("requestBody").path("content").path("application/json").path("schema"));
    }

    private static List<String> requiredOf(JsonNode schema) {
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        return required;
    }

    private static boolean isType(JsonNode schema, String type) {
        JsonNode types = schema.path("type");
        if (types.isArray()) {
            for (JsonNode t : types) {
                if (t.asText().equals(type)) {
                    return true;
                }
            }
            return false;
        }
        return types.asText().equals(type);
    }

    /** Follows {@code $ref: #/components/...} (repeatedly). */
    private JsonNode resolve(JsonNode node) {
        int hops = 0;
        while (node != null && node.has("$ref") && hops++ < 10) {
            JsonNode target = document;
            for (String part : node.get("$ref").asText().substring(2).split("/")) {
                target = target.path(part);
            }
            node = target;
        }
        return node == null ? NODES.missingNode() : node;
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private String word(int length) {
        StringBuilder word = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            word.append((char) ('a' + random.nextInt(26)));
        }
        return word.toString();
    }

    /** A request being built: the valid one, then changed by one fault. */
    private static final class Request {
        final String template;
        final Map<String, String> path = new LinkedHashMap<>();
        final Map<String, String> query = new LinkedHashMap<>();
        final Map<String, String> headers = new LinkedHashMap<>();
        Map<String, String> form;
        JsonNode json;
        byte[] raw;
        String contentType;
        String accept;
        String documentedTypes;
        boolean repeatQuery;

        Request(String template) {
            this.template = template;
        }

        String jsonText() {
            try {
                return JSON.writeValueAsString(json);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        Case toCase(String kind, Caller caller, String method) {
            String rawPath = template;
            for (Map.Entry<String, String> value : path.entrySet()) {
                rawPath = rawPath.replace("{" + value.getKey() + "}", encode(value.getValue()));
            }
            StringBuilder query = new StringBuilder();
            for (Map.Entry<String, String> value : this.query.entrySet()) {
                for (int i = 0; i < (repeatQuery ? 2 : 1); i++) {
                    query.append(query.isEmpty() ? '?' : '&').append(encode(value.getKey())).append('=')
                            .append(encode(value.getValue()));
                }
            }
            byte[] body = raw;
            if (body == null && json != null) {
                body = jsonText().getBytes(StandardCharsets.UTF_8);
            }
            if (body == null && form != null) {
                StringBuilder text = new StringBuilder();
                form.forEach((k, v) -> text.append(text.isEmpty() ? "" : "&").append(encode(k)).append('=').append(encode(v)));
                body = text.toString().getBytes(StandardCharsets.UTF_8);
            }
            return new Case(kind, caller, method.toUpperCase(Locale.ROOT), rawPath + query, Map.copyOf(headers),
                    body == null && raw == null ? null : contentType, accept, body);
        }

        private static String encode(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
        }
    }
}
