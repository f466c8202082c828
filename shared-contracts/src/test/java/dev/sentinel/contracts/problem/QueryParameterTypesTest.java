package dev.sentinel.contracts.problem;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestQuery;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code ?limit=abc} is a 400 {@code VAL_INVALID_TYPE} naming {@code limit}, not JAX-RS's bare
 * 404: the mapper finds the parameters whose values do not convert. A path value that does not
 * convert is left alone (it names nothing: 404), and so are values that do convert.
 */
class QueryParameterTypesTest {

    enum Status { ACTIVE, LOCKED }

    @SuppressWarnings("unused")
    static class Resource {
        public void list(@QueryParam("limit") int limit, @QueryParam("count") Boolean count,
                @QueryParam("status") List<Status> status, @QueryParam("since") Instant since,
                @QueryParam("owner") UUID owner, @QueryParam("query") String query, @RestQuery("size") Optional<Long> size,
                @PathParam("id") UUID id) {
        }

        public void typedHeaders(@HeaderParam("X-Count") int count, @HeaderParam("X-Ref") UUID ref,
                @RestHeader("X-Since") Instant since, @HeaderParam("X-Note") String note, @QueryParam("X-Count") String query) {
        }
    }

    private static final Method LIST = find();

    @Test
    void aQueryValueOfTheWrongTypeIsNamed() {
        assertEquals(List.of(new Problem.FieldError("limit", "has the wrong type")),
                QueryParameterTypes.wrong(LIST, Map.of("limit", List.of("abc"))));
        assertEquals(List.of("limit", "status", "since", "owner", "size"),
                QueryParameterTypes.wrong(LIST, Map.of("limit", List.of("9999999999"), "status", List.of("ACTIVE", "HAPPY"),
                        "since", List.of("yesterday"), "owner", List.of("not-a-uuid"), "size", List.of("1e3")))
                        .stream().map(Problem.FieldError::field).toList());
    }

    @Test
    void valuesThatConvertAndPathValuesAreLeftAlone() {
        assertEquals(List.of(), QueryParameterTypes.wrong(LIST, Map.of("limit", List.of("-5"), "count", List.of("maybe"),
                "status", List.of("LOCKED"), "since", List.of("2026-11-30T12:00:00Z"),
                "owner", List.of(UUID.randomUUID().toString()), "query", List.of("\u0000'; drop table x"),
                "size", List.of("12"), "id", List.of("not-a-uuid"))));
        assertEquals(List.of(), QueryParameterTypes.wrong(LIST, Map.of()));
        assertEquals(List.of(), QueryParameterTypes.wrong(null, Map.of("limit", List.of("abc"))));
    }

    private static final Method HEADERS = find("typedHeaders");

    @Test
    void aHeaderValueOfTheWrongTypeIsNamedAsDeclared() {
        Map<String, List<String>> sent = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        sent.putAll(Map.of("x-count", List.of("many"), "X-Ref", List.of("not-a-uuid"), "X-Since", List.of("soon"),
                "X-Note", List.of("\u0000anything")));
        assertEquals(List.of(new Problem.FieldError("X-Count", "has the wrong type"),
                new Problem.FieldError("X-Ref", "has the wrong type"), new Problem.FieldError("X-Since", "has the wrong type")),
                QueryParameterTypes.wrongHeaders(HEADERS, sent::get));
        assertEquals(List.of(), QueryParameterTypes.wrongHeaders(HEADERS, Map.of("X-Count", List.of("-3"),
                "X-Ref", List.of(UUID.randomUUID().toString()), "X-Since", List.of("2026-11-30T12:00:00Z"))::get));
        assertEquals(List.of(), QueryParameterTypes.wrongHeaders(HEADERS, name -> null));
        // A query parameter is not a header, and a header is not a query parameter.
        assertEquals(List.of(), QueryParameterTypes.wrong(HEADERS, Map.of("X-Count", List.of("many"))));
        assertEquals(List.of(), QueryParameterTypes.wrongHeaders(LIST, Map.of("limit", List.of("abc"))::get));
    }

    private static Method find() {
        return find("list");
    }

    private static Method find(String name) {
        for (Method method : Resource.class.getMethods()) {
            if (method.getName().equals(name)) {
                return method;
            }
        }
        throw new AssertionError("no " + name + " method");
    }
}
