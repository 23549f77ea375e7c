import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Bytes and classes a candidate adds to a function's shaded jar: the jar zipped again as it is, then with
 * every entry of the candidate's jars that it does not have yet (what the shade plugin would add), and
 * without our own writer's classes. Arguments: the function jar, then one "name=dir-of-jars" per candidate.
 */
public final class JarGrowth {

  public static void main(String[] args) throws IOException {
    Path base = Path.of(args[0]);
    Set<String> ours = Set.of("io/leadcycle/runtime/Metric", "io/leadcycle/platform/ColdStart");
    long withOurs = size(base, List.of(), Set.of()).bytes();
    long withoutOurs = size(base, List.of(), ours).bytes();
    int ourClasses;
    try (ZipFile zip = new ZipFile(base.toFile())) {
      ourClasses = (int) zip.stream().map(ZipEntry::getName)
          .filter(name -> name.endsWith(".class") && ours.stream().anyMatch(name::startsWith)).count();
    }
    System.out.printf("%-22s %+10d bytes  %+6d classes%n", "leadcycle", withOurs - withoutOurs, ourClasses);
    for (int i = 1; i < args.length; i++) {
      String[] candidate = args[i].split("=", 2);
      List<Path> jars = new ArrayList<>();
      try (var files = Files.list(Path.of(candidate[1]))) {
        files.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(jars::add);
      }
      Grown grown = size(base, jars, Set.of());
      System.out.printf("%-22s %+10d bytes  %+6d classes%n", candidate[0], grown.bytes() - withOurs, grown.classes());
    }
  }

  record Grown(long bytes, int classes) {
  }

  private static Grown size(Path base, List<Path> extra, Set<String> leaveOut) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Set<String> names = new HashSet<>();
    int classes = 0;
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      List<Path> jars = new ArrayList<>(extra);
      jars.add(0, base);
      for (Path jar : jars) {
        boolean added = !jar.equals(base);
        try (ZipFile zip = new ZipFile(jar.toFile())) {
          for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
            String name = entry.getName();
            boolean signatureOrManifest = name.startsWith("META-INF/") && !name.startsWith("META-INF/services/");
            if (entry.isDirectory() || names.contains(name) || (added && signatureOrManifest)
                || leaveOut.stream().anyMatch(name::startsWith)) {
              continue;
            }
            names.add(name);
            out.putNextEntry(new ZipEntry(name));
            try (var in = zip.getInputStream(entry)) {
              in.transferTo(out);
            }
            out.closeEntry();
            if (added && name.endsWith(".class")) {
              classes++;
            }
          }
        }
      }
    }
    return new Grown(bytes.size(), classes);
  }
}
