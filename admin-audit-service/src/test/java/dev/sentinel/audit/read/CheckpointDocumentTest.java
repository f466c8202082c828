package dev.sentinel.audit.read;

import dev.sentinel.audit.support.AuditTestResource;
import dev.sentinel.contracts.testing.JwtTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Before the first checkpoint is signed, {@code GET /v1/admin/audit-logs/checkpoints/latest}
 * answers 404 {@code SYS_NOT_FOUND}; the spec fuzzer (system-tests SpecFuzzIT) found that the
 * document did not say so. A fresh log cannot be arranged here without emptying the checkpoints
 * other tests read, so this checks the document itself.
 */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
@QuarkusTestResource(AuditTestResource.class)
class CheckpointDocumentTest {

    @Test
    void theLatestCheckpointDocumentsItsNotFound() {
        JsonPath document = given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().jsonPath();
        String notFound = "paths.'/v1/admin/audit-logs/checkpoints/latest'.get.responses.'404'";
        assertEquals(List.of("SYS_NOT_FOUND"),
                document.getList(notFound + ".content.'application/problem+json'.schema.properties.code.enum"));
    }
}
