package org.lepistream.schemas.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsTest {
    @Test
    void masksCredentialKeysOnly() {
        for (String key : new String[] {"sasl.jaas.config", "ssl.keystore.password", "ssl.key.password",
                "basic.auth.user.info", "sasl.oauthbearer.token.endpoint.secret", "ssl.keystore.key"}) {
            assertTrue(Secrets.isSecret(key), key);
        }
        for (String key : new String[] {"bootstrap.servers", "security.protocol", "basic.auth.credentials.source",
                "key.serializer", "sasl.mechanism"}) {
            assertFalse(Secrets.isSecret(key), key);
        }
    }

    @Test
    void redactsValuesAndUrlUserInfo() {
        Map<String, Object> shown = Secrets.redact(Map.of(
                "sasl.jaas.config", "... password=\"pw\";",
                "schema.registry.url", "https://u:pw@sr1.example/x,https://sr2.example",
                "acks", "all"));
        assertEquals(Secrets.MASK, shown.get("sasl.jaas.config"));
        assertEquals("https://" + Secrets.MASK + "@sr1.example/x,https://sr2.example", shown.get("schema.registry.url"));
        assertEquals("all", shown.get("acks"));
    }
}
