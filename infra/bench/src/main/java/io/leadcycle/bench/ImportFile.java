package io.leadcycle.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * The contacts CSV file the import benchmark imports, written row by row (never held in memory), with
 * the default header mapping ({@code Email, First Name, Last Name, Company, Job Title, Phone, Country}),
 * comma separated, RFC 4180 quoting, UTF-8, CRLF line ends.
 *
 * <p>Each data row is, from a seeded {@link Random}:
 * <ul>
 *   <li>a <b>bad row</b> ({@code badPercent}): an email that is empty or not an email address
 *       ({@code not-an-email}, {@code @example.com}, {@code two@@example.com}, {@code user@localhost}); the
 *       import counts it failed and goes on;</li>
 *   <li>a <b>repeat</b> ({@code repeatPercent}) of an earlier person's email, sometimes in other letter case
 *       ({@code P17.Smith@Example.COM}): the same contact after normalization (trimmed, lower-cased). Its job
 *       title always changes (it names the row), its country sometimes; every field is filled, so that the
 *       last row of an email is also what any "non-empty values replace" merge of its rows gives;</li>
 *   <li>otherwise a <b>new person</b>: names (some non-ASCII), a company (some with a comma or with double
 *       quotes, hence quoted fields), job title, phone (5 % empty) and country.</li>
 * </ul>
 * What the import should report is known from the file: created = new people, updated = repeats,
 * failed = bad rows, unchanged = 0.
 */
final class ImportFile {

  static final String HEADER = "Email,First Name,Last Name,Company,Job Title,Phone,Country";

  private static final String[] FIRST = {"Anna", "Ben", "Chloé", "David", "Emma", "Felix", "Greta", "Hugo", "Ines",
      "Jürgen", "Katarzyna", "Liam", "Mia", "Noah", "Olivia", "Paul", "Quentin", "Rosa", "Søren", "Tom", "Ursula",
      "Victor", "Wei", "Xenia", "Yusuf", "Zoë"};
  private static final String[] LAST = {"Smith", "Müller", "García", "Rossi", "Dubois", "Kowalski", "Jensen",
      "O'Brien", "Novák", "Silva", "Tanaka", "Nguyen", "Schmidt", "Bianchi", "Moreau", "Andersson", "Weber",
      "Fischer", "Lopez", "Martin"};
  private static final String[] COMPANY = {"Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark Industries",
      "Wayne Enterprises", "Cyberdyne", "Soylent", "Tyrell", "Wonka", "Vandelay Industries", "Massive Dynamic"};
  private static final String[] TITLE = {"CTO", "Head of Marketing", "Marketing Manager", "Software Engineer",
      "VP Sales", "Procurement Lead", "CEO", "Data Analyst", "Product Owner", "IT Director"};
  private static final String[] COUNTRY = {"DE", "FR", "GB", "US", "ES", "IT", "NL", "PL", "SE", "AT", "CH", "JP"};
  private static final String[] DOMAIN = {"example.com", "example.org", "example.net", "mail.example.de",
      "corp.example.co.uk"};
  private static final String[] BAD_EMAIL = {"not-an-email", "", "@example.com", "two@@example.com", "user@localhost"};

  /** What the file holds, and what the import of it should report. */
  record Summary(Path file, long rows, long newPeople, long repeats, long bad, long quotedFields, long bytes,
      double seconds) {
  }

  private ImportFile() {
  }

  /** Writes {@code rows} data rows (after the header) to {@code file}. */
  static Summary write(Path file, int rows, double repeatPercent, double badPercent, long seed) throws IOException {
    long start = System.nanoTime();
    Random random = new Random(seed);
    long people = 0;
    long repeats = 0;
    long bad = 0;
    Counter quoted = new Counter();
    try (Writer out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
      out.write(HEADER);
      out.write("\r\n");
      String[] fields = new String[7];
      for (int row = 1; row <= rows; row++) {
        double roll = random.nextDouble() * 100;
        if (roll < badPercent) {
          person(random.nextInt(1_000_000), fields);
          fields[0] = BAD_EMAIL[random.nextInt(BAD_EMAIL.length)];
          bad++;
        } else if (roll < badPercent + repeatPercent && people > 0) {
          long k = (long) (random.nextDouble() * people);
          person(k, fields);
          fields[0] = otherCase(fields[0], random.nextInt(3));
          fields[4] = TITLE[random.nextInt(TITLE.length)] + " (row " + row + ")";
          if (fields[5].isEmpty()) {
            fields[5] = phone(k + 1);
          }
          if (random.nextInt(10) < 3) {
            fields[6] = COUNTRY[random.nextInt(COUNTRY.length)];
          }
          repeats++;
        } else {
          person(people, fields);
          people++;
        }
        for (int i = 0; i < fields.length; i++) {
          if (i > 0) {
            out.write(',');
          }
          writeField(out, fields[i], quoted);
        }
        out.write("\r\n");
      }
    }
    return new Summary(file, rows, people, repeats, bad, quoted.n, Files.size(file), (System.nanoTime() - start) / 1e9);
  }

  /** Person {@code k}'s first row: email, first name, last name, company, job title, phone, country. */
  private static void person(long k, String[] fields) {
    int h = mix(k);
    String last = LAST[Math.floorMod(h >> 8, LAST.length)];
    fields[0] = "p" + k + "." + ascii(last) + "@" + DOMAIN[Math.floorMod(h >> 3, DOMAIN.length)];
    fields[1] = FIRST[Math.floorMod(h, FIRST.length)];
    fields[2] = last;
    String company = COMPANY[Math.floorMod(h >> 12, COMPANY.length)];
    int form = Math.floorMod(h >> 16, 100);
    if (form < 10) {
      company = company + ", Inc.";          // a comma: quoted
    } else if (form < 13) {
      company = "The \"" + company + "\" Group"; // double quotes: quoted, doubled
    } else if (form < 15) {
      company = company + " GmbH & Co. KG";
    }
    fields[3] = company;
    fields[4] = TITLE[Math.floorMod(h >> 20, TITLE.length)];
    fields[5] = Math.floorMod(h >> 24, 100) < 5 ? "" : phone(k);
    fields[6] = COUNTRY[Math.floorMod(h >> 5, COUNTRY.length)];
  }

  private static String phone(long k) {
    return String.format(Locale.ROOT, "+49 30 %07d", Math.floorMod(mix(k * 31 + 7), 10_000_000));
  }

  /** The email as written (0), with an upper-case first letter and domain (1), or all upper case (2). */
  private static String otherCase(String email, int variant) {
    return switch (variant) {
      case 1 -> {
        int at = email.indexOf('@');
        yield Character.toUpperCase(email.charAt(0)) + email.substring(1, at) + email.substring(at).toUpperCase(Locale.ROOT);
      }
      case 2 -> email.toUpperCase(Locale.ROOT);
      default -> email;
    };
  }

  private static String ascii(String name) {
    StringBuilder b = new StringBuilder();
    for (char c : name.toLowerCase(Locale.ROOT).toCharArray()) {
      if (c >= 'a' && c <= 'z') {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static int mix(long k) {
    long z = k * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return (int) (z ^ (z >>> 31));
  }

  private static final class Counter {
    long n;
  }

  /** RFC 4180: a field with a comma, a double quote or a line break is quoted, its double quotes doubled. */
  private static void writeField(Writer out, String value, Counter quoted) throws IOException {
    boolean quote = false;
    for (int i = 0; i < value.length() && !quote; i++) {
      char c = value.charAt(i);
      quote = c == ',' || c == '"' || c == '\n' || c == '\r';
    }
    if (!quote) {
      out.write(value);
      return;
    }
    quoted.n++;
    out.write('"');
    out.write(value.replace("\"", "\"\""));
    out.write('"');
  }
}
