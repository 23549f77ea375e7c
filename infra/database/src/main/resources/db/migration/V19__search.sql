-- Search and sort (issue 24, point 4): prefix search over names, companies, emails and domains, case- and
-- accent-insensitive; browsing contacts and accounts newest first; sorting leads by grade.
--
-- Index design (docs/search.md): an IMMUTABLE wrapper around unaccent folds text; each searchable record has one
-- folded text (its words separated by spaces, with a leading space) computed by an IMMUTABLE function, and a GIN
-- trigram index on that expression. A search word w matches when the text is LIKE '% w%': w is the beginning of
-- one of its words. pg_trgm takes the trigrams of w, word start included, from the index; LIKE rechecks.
-- Expression indexes (not stored columns): no table rewrite, nothing for writers to keep up to date.

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- unaccent(text) is STABLE (it reads the dictionary by search_path); naming the dictionary makes the result
-- depend on its argument only, which an index expression needs.
CREATE FUNCTION search_fold(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, value)) $$;

-- Index builds run with search_path pg_catalog (PostgreSQL 17): the functions below name their schema.

-- A person's searchable words: first and last name, email, the email's domain, company name.
CREATE FUNCTION contact_search_text(first_name text, last_name text, email text, company_name text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT ' ' || coalesce(public.search_fold(
           coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(email, '') || ' '
           || coalesce(split_part(email, '@', 2), '') || ' ' || coalesce(company_name, '')), '') $$;

-- A company's searchable words: name and domain.
CREATE FUNCTION account_search_text(name text, domain text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT ' ' || coalesce(public.search_fold(coalesce(name, '') || ' ' || coalesce(domain, '')), '') $$;

CREATE INDEX contacts_search ON contacts
  USING gin (contact_search_text(first_name, last_name, email, company_name) gin_trgm_ops);
CREATE INDEX accounts_search ON accounts USING gin (account_search_text(name, domain) gin_trgm_ops);
-- A lead without a contact is found by what was submitted (a lead with one, by its contact).
CREATE INDEX leads_contactless_search ON leads
  USING gin (contact_search_text(submitted_fields ->> 'firstName', submitted_fields ->> 'lastName',
                                 submitted_fields ->> 'email', submitted_fields ->> 'companyName') gin_trgm_ops)
  WHERE contact_id IS NULL;

-- Browsing contacts and accounts, newest first (a backward scan).
CREATE INDEX contacts_by_creation ON contacts (created_at, id);
CREATE INDEX accounts_by_creation ON accounts (created_at, id);

-- Sorting by grade: the position of the lead's best grade among its model's grades, the best band 0 (grades are
-- score bands, so this is the model's grade order, not the alphabet's). Kept by a trigger whenever the best score
-- or grade is written: its model is the live one that gave the lead this score and grade (lead_scores is
-- written before leads in the same transaction).
ALTER TABLE leads ADD COLUMN grade_rank integer;

CREATE FUNCTION lead_grade_rank(lead_id uuid, score integer, grade text) RETURNS integer
  LANGUAGE sql STABLE
  AS $$
    SELECT (SELECT count(*)::int FROM jsonb_array_elements(m.definition -> 'grades') g
             WHERE (g ->> 'min')::bigint > score)
      FROM lead_scores s JOIN scoring_models m ON m.id = s.model_id AND m.status = 'live'
     WHERE s.lead_id = lead_grade_rank.lead_id AND s.score = lead_grade_rank.score AND s.grade = lead_grade_rank.grade
     ORDER BY m.created_at, m.id
     LIMIT 1 $$;

CREATE FUNCTION leads_keep_grade_rank() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    NEW.grade_rank := CASE WHEN NEW.grade IS NULL OR NEW.score IS NULL THEN NULL
                           ELSE lead_grade_rank(NEW.id, NEW.score, NEW.grade) END;
    RETURN NEW;
  END $$;

-- WHEN: a new lead has no grade yet, so intake's inserts do not call the function at all.
CREATE TRIGGER leads_grade_rank BEFORE INSERT OR UPDATE OF score, grade ON leads
  FOR EACH ROW WHEN (NEW.grade IS NOT NULL OR NEW.grade_rank IS NOT NULL)
  EXECUTE FUNCTION leads_keep_grade_rank();

UPDATE leads SET grade_rank = lead_grade_rank(id, score, grade) WHERE grade IS NOT NULL AND score IS NOT NULL;

-- Best grade first, then best score, then id: the order sort=grade pages through (LeadStore.Sort.GRADE).
CREATE INDEX leads_by_grade_rank ON leads ((coalesce(grade_rank, 2147483647)), (coalesce(score, -2147483648)) DESC, id)
  WHERE status = 'open';
