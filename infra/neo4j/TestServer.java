import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * A throwaway Neo4j (community edition, embedded) whose only job is to serve Bolt to the portal's tests:
 * infra/neo4j/start.sh compiles and runs it. Arguments: the data directory and a neo4j.conf-style settings file.
 * It stops cleanly (flushing the store) on SIGTERM.
 */
public final class TestServer {
  public static void main(String[] arguments) throws Exception {
    DatabaseManagementService service = new DatabaseManagementServiceBuilder(Path.of(arguments[0]))
        .loadPropertiesFromFile(Path.of(arguments[1]))
        .build();
    // Opening the default database here means Bolt never answers before the database can take queries.
    service.database("neo4j").executeTransactionally("RETURN 1");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      service.shutdown();
      stopped.countDown();
    }));
    System.out.println("ready");
    stopped.await();
  }
}
