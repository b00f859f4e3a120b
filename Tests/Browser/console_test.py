"""The officer's console in headless Chromium (issue 24's browser acceptance).

An officer logs in with their PostgreSQL login, opens the work queue, confirms an uncertain partner
spelling with a reason, sees the case decided again and the audit row naming them, switches to
Japanese, opens a month's payments, reads a page at phone width and logs out; a wrong password is
refused. On a case page the officer records an event (an academic report) and sees it applied.
Each page is saved as .build/console-screens/NN-name.png.

Run by scripts/browser-test.sh, which prepares the database and starts `bursar console`; it passes:
CONSOLE_URL, CONSOLE_LOGIN, CONSOLE_PASSWORD, BURSAR_BIN and DATABASE_URL (for `bursar drain`: the
test runs the workers itself, as bursard would in service), NEAR_MISS_ID, NEAR_MISS_GIVEN (a given
name with a script in it), NEAR_MISS_SPELLING, NEAR_MISS_PARTNER, PAYMENT_MONTH, SCREENS. The test
methods run in name order and build on each other (one browser, one session).
"""

import os
import re
import subprocess
import time
import unittest

from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE = os.environ["CONSOLE_URL"].rstrip("/")
LOGIN = os.environ["CONSOLE_LOGIN"]
PASSWORD = os.environ["CONSOLE_PASSWORD"]
BURSAR = os.environ["BURSAR_BIN"]
NEAR_MISS_ID = os.environ["NEAR_MISS_ID"]
NEAR_MISS_GIVEN = os.environ["NEAR_MISS_GIVEN"]
SPELLING = os.environ["NEAR_MISS_SPELLING"]
PARTNER = os.environ["NEAR_MISS_PARTNER"]
MONTH = os.environ["PAYMENT_MONTH"]
SCREENS = os.environ["SCREENS"]
# The officer's reason, unique per run so that the audit row found is this run's.
REASON = f"Bayreuth is the University of Bayreuth (browser test {int(time.time())})"
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
SECONDS = 15


class ConsoleInABrowser(unittest.TestCase):
    driver: webdriver.Chrome

    @classmethod
    def setUpClass(cls):
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        # --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                         "--window-size=1280,900", "--lang=en-US"):
            options.add_argument(argument)
        # The console picks the language from Accept-Language until the officer switches.
        options.add_experimental_option("prefs", {"intl.accept_languages": "en-US,en"})
        cls.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        cls.driver.set_page_load_timeout(30)
        cls.laptop()

    @classmethod
    def laptop(cls):
        """A 1280×900 page (the window's size would include the browser's own frame)."""
        cls.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                   {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False})

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()

    # --- helpers ------------------------------------------------------------------------------

    def shot(self, name):
        """Saves what the browser shows as SCREENS/name.png."""
        self.driver.save_screenshot(os.path.join(SCREENS, name + ".png"))

    def one(self, selector, within=None):
        return (within or self.driver).find_element(By.CSS_SELECTOR, selector)

    def some(self, selector, within=None):
        return (within or self.driver).find_elements(By.CSS_SELECTOR, selector)

    def page(self, main_id, shot=None):
        """Waits for `<main id=main_id>`, saves the page as `shot` before any check (a failure's page
        is there to see), and checks what every page has: the language switch."""
        try:
            main = WebDriverWait(self.driver, SECONDS).until(
                expected_conditions.presence_of_element_located((By.CSS_SELECTOR, f"main#{main_id}")),
                f"no main#{main_id} at {self.driver.current_url}")
        finally:
            if shot:
                self.shot(shot)
        # One switch, to the other language, carrying the way back: /lang/ja?back=/queue.
        switch = self.some("a[href*='/lang/'], form[action*='/lang/']")
        self.assertTrue(switch, f"{self.driver.current_url} has no language switch")
        return main

    def submit(self, form):
        """Submits `form` as a person does (its submit button) and waits for the next page."""
        buttons = self.some("button[type=submit], button:not([type]), input[type=submit]", form)
        if buttons:
            buttons[0].click()
        else:
            form.submit()
        WebDriverWait(self.driver, SECONDS).until(lambda _: self.left(form))

    @staticmethod
    def left(element):
        """Whether `element` belongs to a page the browser has left. Selenium's staleness_of, but
        Chromium may answer a node of the page being left with "does not belong to the document"
        instead of a stale-element error (seen once under load): that is gone too."""
        try:
            element.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return True
            raise

    def log_in(self, password):
        self.driver.get(BASE + "/login")
        form = WebDriverWait(self.driver, SECONDS).until(
            expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "form#login-form")))
        self.one("[name=login]", form).send_keys(LOGIN)
        self.one("[name=password]", form).send_keys(password)
        self.submit(form)

    def go(self, path, main_id, shot=None):
        """Follows a link to `path` when the page has one (as an officer would), else opens it."""
        links = [a for a in self.some(f"a[href='{path}'], a[href='{BASE}{path}']") if a.is_displayed()]
        if links and self.driver.current_url != BASE + path:
            before = self.one("html")
            links[0].click()
            WebDriverWait(self.driver, SECONDS).until(lambda _: self.left(before))
        else:
            self.driver.get(BASE + path)
        return self.page(main_id, shot)

    def text(self, element):
        return element.get_attribute("textContent") or ""

    # --- the officer's morning ----------------------------------------------------------------

    def test_1_wrong_password_is_refused(self):
        self.driver.delete_all_cookies()
        self.log_in(PASSWORD + "-wrong")
        self.shot("01-login-refused")
        self.one("form#login-form")
        self.assertFalse(self.some("main#page-dashboard"), "a wrong password opened the dashboard")
        self.driver.get(BASE + "/")
        self.assertFalse(self.some("main#page-dashboard"), "no session after a refused login")
        self.one("form#login-form")

    def test_2_login_opens_the_dashboard(self):
        self.log_in(PASSWORD)
        self.page("page-dashboard", "02-dashboard")
        self.one("form#logout-form")
        self.assertNotIn(PASSWORD, self.driver.current_url)
        session = [c for c in self.driver.get_cookies() if c.get("httpOnly") and c.get("sameSite") == "Strict"]
        self.assertTrue(session, f"no HttpOnly SameSite=Strict session cookie: {self.driver.get_cookies()}")

    def test_3_confirming_the_spelling_decides_the_case_again(self):
        queue = self.go("/queue", "page-queue", "03-queue")
        for section in ("queue-review", "queue-spellings", "queue-duplicates", "queue-flags", "queue-holds"):
            self.one(f"#{section}", queue)
        spellings = self.one("#queue-spellings", queue)
        self.assertIn(SPELLING, self.text(spellings))
        self.assertIn(PARTNER, self.text(spellings), "the candidate partner is shown beside the spelling")

        # The confirm form of this spelling's item: the nearest element around the form that
        # names the spelling (in its text, the candidate's name aside, or as a field's value)
        # holds exactly one confirm form.
        forms = self.some("form[id='action-spelling-confirm']", spellings)
        self.assertTrue(forms, "no form#action-spelling-confirm in #queue-spellings")
        mine = [f for f in forms if self.driver.execute_script(
            """const [form, spelling, partner, section] = arguments;
               const selector = 'form[id="action-spelling-confirm"]';
               for (let e = form; e && e !== section; e = e.parentElement) {
                   const named = e.textContent.split(partner).join('').includes(spelling)
                       || [...e.querySelectorAll('input')].some(i => i.value === spelling);
                   if (named) return (e.matches(selector) ? 1 : 0) + e.querySelectorAll(selector).length === 1;
               }
               return false;""", f, SPELLING, PARTNER, spellings)]
        self.assertEqual(len(mine), 1, f"one confirm form for {SPELLING!r}")
        form = mine[0]
        csrf = self.one("input[type=hidden][name=csrf]", form)
        self.assertTrue(csrf.get_attribute("value"), "the action form carries a CSRF token")
        for choice in self.some("select[name=partner]", form):
            Select(choice).select_by_visible_text(PARTNER)
        for radio in self.some("input[type=radio][name=partner]", form):
            if radio.get_attribute("value") == PARTNER:
                radio.click()
        reason = self.one("[name=reason]", form)
        reason.clear()
        reason.send_keys(REASON)
        self.submit(form)
        self.shot("04-spelling-confirmed")
        self.assertNotIn("reason=", self.driver.current_url, "the reason travels in the body, not the URL")

        # The workers decide the waiting application again (bursard in service).
        drained = subprocess.run([BURSAR, "drain"], capture_output=True, text=True, timeout=90)
        self.assertEqual(drained.returncode, 0, drained.stderr)
        queue = self.go("/queue", "page-queue")
        self.assertNotIn(SPELLING, self.text(self.one("#queue-spellings", queue)).replace(PARTNER, ""),
                         "the confirmed spelling left the work queue")

        listing = self.go("/applicants", "page-applicants")
        search = self.one("form#search-form", listing)
        self.one("[name=q]", search).send_keys(NEAR_MISS_ID)
        self.submit(search)
        results = self.page("page-applicants", "05-applicants")
        self.assertIn(NEAR_MISS_ID, self.text(results))
        case = self.go(f"/applicants/{NEAR_MISS_ID}", "page-case", "06-case")
        self.assertIn(NEAR_MISS_GIVEN, self.text(case), "the name's markup is shown as text")
        self.assertIsNone(self.driver.execute_script("return window.bursarXSS"), "the name's script did not run")
        trace = self.text(self.one("#case-trace", case))
        self.assertIn("2b", trace, "clause (2) now holds through category (b)")
        self.assertIn(PARTNER, trace)
        decisions = self.text(self.one("#case-decisions", case)).lower()
        self.assertIn("eligible", decisions)
        self.assertRegex(decisions, r"needs[ _]review", "the earlier decision is listed too")
        self.assertTrue(self.text(self.one("#case-audit", case)).strip(), "the case shows its audit rows")
        self.one("#case-scholarship", case)

        audit = self.go("/audit", "page-audit", "07-audit")
        rows = [r for r in self.some("tr, li, article", audit) if REASON in self.text(r)]
        self.assertTrue(rows, "the audit trail shows the action with its reason")
        self.assertIn(LOGIN, self.text(rows[-1]), "the audit row names the officer's login")

    def test_3b_an_event_recorded_on_the_case_page(self):
        """An academic report below 2.3 for the paid scholar, recorded from the case page with a
        reason: queued, applied by the workers, the flag raised, and the audit row naming the officer."""
        scholar = "S-07-partner-only"
        reason = f"registrar's report of term 2026-1 ({REASON})"
        case = self.go(f"/applicants/{scholar}", "page-case")
        form = self.one("form#action-events", case)
        self.assertTrue(self.one("input[type=hidden][name=csrf]", form).get_attribute("value"))
        Select(self.one("select[name=type]", form)).select_by_visible_text("academic_report")
        # A date field's typing follows the browser's locale; the value is what the form sends.
        self.driver.execute_script("arguments[0].value = '2026-09-30'", self.one("input[name=date]", form))
        self.one("input[name=term]", form).send_keys("2026-1")
        self.one("input[name=gpa]", form).send_keys("2.10")
        self.one("[name=reason]", form).send_keys(reason)
        self.submit(form)
        case = self.page("page-case")
        self.assertIn("academic_report", self.text(self.one("#flash")), "the action says what it queued")
        drained = subprocess.run([BURSAR, "drain"], capture_output=True, text=True, timeout=90)
        self.assertEqual(drained.returncode, 0, drained.stderr)
        case = self.go(f"/applicants/{scholar}", "page-case")
        # The scholarship's part of the page (events, payment lines, the event form) in the shot.
        self.driver.execute_script("arguments[0].scrollIntoView()", self.one("#case-scholarship", case))
        self.shot("06b-case-event")
        events = [e for e in self.some("#case-events li", case) if "academic_report" in self.text(e)]
        self.assertEqual(len(events), 1, "the event is listed once")
        self.assertIn("applied", self.text(events[0]))
        self.assertIn("academic.gpa_below_2_3", self.text(self.one("#case-scholarship", case)),
                      "a GPA below 2.3 raises the academic flag")
        rows = [r for r in self.some("#case-audit li", case) if reason in self.text(r)]
        self.assertEqual(len(rows), 1, "one audit row with the reason")
        self.assertIn(LOGIN, self.text(rows[0]))

    def test_4_japanese_and_the_months_payments(self):
        self.driver.get(BASE + "/")
        self.page("page-dashboard")
        switch = self.some("a[href*='/lang/ja']")
        if switch:
            switch[0].click()
        else:
            self.submit(self.one("form[action*='/lang/ja']"))
        main = self.page("page-dashboard", "08-dashboard-ja")
        self.assertRegex(self.text(main), JAPANESE, "the dashboard speaks Japanese after the switch")

        payments = self.go(f"/payments/{MONTH}", "page-payments", "09-payments-ja")
        text = self.text(payments)
        self.assertRegex(text, JAPANESE)
        self.assertIn("S-07-partner-only", text, "the paid scholar")
        self.assertIn("S-01-base", text, "the held scholar")

    def test_5_a_page_at_phone_width(self):
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
        try:
            self.driver.get(BASE + "/queue")
            self.page("page-queue", "10-queue-phone")
            width = self.driver.execute_script("return document.documentElement.clientWidth")
            self.assertEqual(width, 390, "the page lays out at the phone's width (meta viewport)")
            overflow = self.driver.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            self.assertLessEqual(overflow, 1, "the page scrolls sideways at 390 px")
        finally:
            self.laptop()

    def test_6_logout_ends_the_session(self):
        self.driver.get(BASE + "/")
        self.page("page-dashboard")
        self.submit(self.one("form#logout-form"))
        self.shot("11-logged-out")
        self.one("form#login-form")
        self.driver.get(BASE + "/queue")
        with self.assertRaises(NoSuchElementException):
            self.one("main#page-queue")
        self.one("form#login-form")


if __name__ == "__main__":
    unittest.main(verbosity=2)
