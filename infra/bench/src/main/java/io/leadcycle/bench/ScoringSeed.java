package io.leadcycle.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The scoring benchmark's data, seeded set-based in SQL ({@code generate_series}) in a few seconds:
 * accounts with industry, employee count and country; contacts with email, job title, country and
 * attributes, most of them in an account; one open lead per contact in stage inquiry, linked to the
 * contact and its account (as intake links them); and interactions of every type over the last 90
 * days, some in a context (campaign, page, event). {@code setseed} makes the values the same from one
 * run to the next (the ids are random). Text values come in several spellings ({@code "CTO"},
 * {@code "cto"}, {@code "Marketing  Manager"}) so that the rules' normalization is exercised.
 */
final class ScoringSeed {

  record Sizes(int accounts, int contacts, int interactions, double accountShare) {
  }

  private ScoringSeed() {
  }

  static void seed(Connection c, Sizes sizes, double seed) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(String.format(Locale.ROOT, "SELECT setseed(%f)", seed));
      s.execute("CREATE TEMPORARY TABLE seed_accounts AS SELECT n, gen_random_uuid() AS id FROM generate_series(1, "
          + sizes.accounts() + ") n");
      s.execute("ALTER TABLE seed_accounts ADD PRIMARY KEY (n)");
      s.execute("""
          INSERT INTO accounts (id, name, name_norm, domain, domain_norm, industry, employee_count, country)
          SELECT id, 'Account ' || n, 'account ' || n, 'account' || n || '.example', 'account' || n || '.example',
                 (ARRAY['Software', 'software', 'Manufacturing', 'Finance', 'Healthcare', 'Retail', 'Education',
                        NULL])[1 + floor(random() * 8)::int],
                 -- log-uniform from 1 to 10,000 (a third above 500), 5 % unknown
                 CASE WHEN random() < 0.05 THEN NULL ELSE floor(exp(random() * ln(10000)))::int END,
                 (ARRAY['DE', 'US', 'FR', 'GB', 'AT', 'CH'])[1 + floor(random() * 6)::int]
            FROM seed_accounts""");
      s.execute(String.format(Locale.ROOT, """
          CREATE TEMPORARY TABLE seed_contacts AS
          SELECT n, gen_random_uuid() AS id,
                 CASE WHEN random() < %f THEN 1 + floor(random() * %d)::int END AS account_n,
                 random() AS r_title, random() AS r_country, random() AS r_attributes
            FROM generate_series(1, %d) n""", sizes.accountShare(), sizes.accounts(), sizes.contacts()));
      s.execute("ALTER TABLE seed_contacts ADD PRIMARY KEY (n)");
      s.execute("""
          INSERT INTO contacts (id, account_id, email, email_norm, first_name, last_name, first_name_norm, last_name_norm,
                                job_title, country, attributes)
          SELECT c.id, a.id, 'Contact' || c.n || '@bench.example', 'contact' || c.n || '@bench.example',
                 'First' || c.n, 'Last' || c.n, 'first' || c.n, 'last' || c.n,
                 (ARRAY['CTO', 'cto', 'CEO', 'VP Engineering', 'Engineering Manager', 'Marketing  Manager', 'Developer',
                        'Analyst', 'Student', 'Consultant', 'Chief Technology Officer', NULL])[1 + floor(c.r_title * 12)::int],
                 (ARRAY['DE', 'de', ' DE ', 'US', 'FR', 'GB', 'AT', 'CH', 'NL', NULL])[1 + floor(c.r_country * 10)::int],
                 CASE WHEN c.r_attributes < 0.30 THEN jsonb_build_object('budget', (1000 * ceil(c.r_attributes * 1000))::text)
                      WHEN c.r_attributes < 0.35 THEN '{"budget": " "}'::jsonb
                      WHEN c.r_attributes < 0.55 THEN '{"segment": "smb"}'::jsonb
                      ELSE '{}'::jsonb END
            FROM seed_contacts c LEFT JOIN seed_accounts a ON a.n = c.account_n""");
      s.execute("""
          INSERT INTO leads (topic, contact_id, account_id, context_kind, context_id, context_name, email_norm, created_at)
          SELECT 'Bench', c.id, c.account_id, 'marketing_page', 'bench-page', 'Bench page', c.email_norm,
                 now() - random() * interval '90 days'
            FROM contacts c""");
      // Interaction mix: website visits 40 %, email opens 25 %, clicks 15 %, form submissions 8 %, event
      // registrations 5 %, attendances 5 %, LinkedIn forms 2 %; events in one of 10 webinars, emails in one
      // of 5 newsletters, forms on one of 20 pages; times uniform over the last 90 days.
      s.execute(String.format(Locale.ROOT, """
          INSERT INTO interactions (contact_id, type, occurred_at, context_kind, context_id, source_key)
          SELECT c.id, k.type, now() - r.age * interval '90 days',
                 CASE WHEN k.type LIKE 'event%%' THEN 'event' WHEN k.type LIKE 'email%%' THEN 'campaign'
                      WHEN k.type LIKE '%%form%%' THEN 'marketing_page' END,
                 CASE WHEN k.type LIKE 'event%%' THEN 'webinar-' || (1 + floor(r.context * 10)::int)
                      WHEN k.type LIKE 'email%%' THEN 'newsletter-' || (1 + floor(r.context * 5)::int)
                      WHEN k.type LIKE '%%form%%' THEN 'page-' || (1 + floor(r.context * 20)::int) END,
                 'bench:' || r.g
            FROM (SELECT g, 1 + floor(random() * %d)::int AS contact_n, random() AS kind, random() AS context,
                         random() AS age
                    FROM generate_series(1, %d) g) r
            JOIN seed_contacts c ON c.n = r.contact_n
           CROSS JOIN LATERAL (SELECT CASE WHEN r.kind < 0.40 THEN 'website_visited' WHEN r.kind < 0.65 THEN 'email_opened'
                                          WHEN r.kind < 0.80 THEN 'email_clicked' WHEN r.kind < 0.88 THEN 'form_submitted'
                                          WHEN r.kind < 0.93 THEN 'event_registered' WHEN r.kind < 0.98 THEN 'event_attended'
                                          ELSE 'linkedin_form_submitted' END AS type) k""",
          sizes.contacts(), sizes.interactions()));
      s.execute("DROP TABLE seed_accounts, seed_contacts");
    }
  }
}
