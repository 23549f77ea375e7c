package io.leadcycle.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcycle.http.Access;
import io.leadcycle.http.HttpFunction;
import io.leadcycle.http.Permissions;
import io.leadcycle.http.Role;
import io.leadcycle.http.Route;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The permission table ({@link Permissions}) against what the product serves: every management route of
 * every function (their route tables), of the local server, and of docs/openapi.yaml has an entry, and
 * no entry names a route nobody serves; docs/api.md shows the table as the code has it.
 */
class PermissionTableTest {

  private static final Path API_DOC = Path.of("../../docs/api.md");
  private static final Path OPENAPI = Path.of("../../docs/openapi.yaml");
  private static final String BEGIN = "<!-- permission table: generated from Permissions by PermissionTableTest -->";
  private static final String END = "<!-- end of the permission table -->";

  /** Every route of every function the template declares, created the way Lambda creates them. */
  private static List<Route> functionRoutes() {
    List<Route> routes = new ArrayList<>();
    for (LocalServer.HostedFunction function : LocalServer.FUNCTIONS) {
      if (LocalServer.instantiate(function.handlerClass()) instanceof HttpFunction http) {
        routes.addAll(http.routes());
      }
    }
    return routes;
  }

  @Test
  void everyManagementRouteOfEveryFunctionHasAnEntryAndNoPublicOneHas() {
    Set<String> missing = new TreeSet<>();
    Set<String> served = new TreeSet<>();
    for (Route route : functionRoutes()) {
      served.add(route.routeKey());
      if (route.access() == Access.MANAGEMENT && !Permissions.routes().containsKey(route.routeKey())) {
        missing.add(route.routeKey());
      }
      if (route.access() == Access.PUBLIC) {
        assertThat(Permissions.routes()).as("a public route needs no role").doesNotContainKey(route.routeKey());
      }
    }
    for (String local : LocalApi.managementRouteKeys()) {
      served.add(local);
      if (!Permissions.routes().containsKey(local)) {
        missing.add(local);
      }
    }
    assertThat(missing).as("management routes without an entry in Permissions").isEmpty();
    assertThat(served).as("entries of Permissions for routes nobody serves").containsAll(Permissions.routes().keySet());
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyManagementOperationOfTheRouteReferenceHasAnEntry() throws IOException {
    Map<String, Object> document = new Yaml().load(Files.readString(OPENAPI));
    Set<String> missing = new TreeSet<>();
    int operations = 0;
    for (var path : ((Map<String, Map<String, Object>>) document.get("paths")).entrySet()) {
      for (var operation : path.getValue().entrySet()) {
        if (!(operation.getValue() instanceof Map<?, ?> details) || operation.getKey().equals("parameters")) {
          continue;
        }
        Object security = details.get("security");
        boolean management = security == null || !((List<?>) security).isEmpty(); // security: [] is public
        if (management) {
          operations++;
          String key = operation.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey();
          if (!Permissions.routes().containsKey(key)) {
            missing.add(key);
          }
          assertThat((Map<String, Object>) details.get("responses")).as(key + " lists its 403").containsKey("403");
        }
      }
    }
    assertThat(operations).isGreaterThan(40);
    assertThat(missing).as("management operations of docs/openapi.yaml without an entry in Permissions").isEmpty();
  }

  @Test
  void docsApiShowsTheTableAsTheCodeHasIt() throws IOException {
    String doc = Files.readString(API_DOC);
    String expected = BEGIN + "\n" + table() + END;
    int begin = doc.indexOf(BEGIN);
    int end = doc.indexOf(END);
    String actual = begin < 0 || end < 0 ? "(no table between the markers)" : doc.substring(begin, end + END.length());
    if (!actual.equals(expected)) {
      Files.writeString(Path.of("target/permission-table.md"), expected);
    }
    assertThat(actual).as("docs/api.md's permission table (the expected one is in infra/local/target/permission-table.md)")
        .isEqualTo(expected);
  }

  /** The table as docs/api.md shows it: a row per route, then per process action; ✓ where a role may. */
  static String table() {
    StringBuilder table = new StringBuilder();
    StringBuilder header = new StringBuilder("| route or action |");
    StringBuilder rule = new StringBuilder("|---|");
    for (Role role : Role.values()) {
      header.append(" ").append(role.wireName()).append(" |");
      rule.append(":-:|");
    }
    table.append(header).append("\n").append(rule).append("\n");
    Permissions.routes().forEach((route, permission) -> row(table, "`" + route + "`", permission));
    Permissions.actions().forEach((action, permission) -> row(table, "process `" + action + "`", permission));
    return table.toString();
  }

  private static void row(StringBuilder table, String what, Permissions.Rule rule) {
    table.append("| ").append(what).append(" |");
    for (Role role : Role.values()) {
      table.append(rule.granted().contains(role) ? " ✓ |" : " |");
    }
    table.append("\n");
  }
}
