"""The account journey in a real browser: sign up, verify, profile, phone, two-factor, sign out and in.

Elements are found by role and accessible name as listed in docs/ui-contract.md.
"""

from __future__ import annotations

import re
import secrets

from playwright.sync_api import Locator, Page, expect
from support import Authenticator, Mailbox

PASSWORD = "Harbor-Lantern-7391!"
# Valid for python-phonenumbers (an Indian mobile number); each run has a fresh database.
PHONE = "+919812345678"


def field_name(text: str) -> re.Pattern[str]:
    """A field's accessible name or label text, allowing the "*" that marks a required field."""
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$")


def unique_email(prefix: str) -> str:
    return f"{prefix}.{secrets.token_hex(4)}@example.com"


def textbox(page: Page, name: str) -> Locator:
    return page.get_by_role("textbox", name=field_name(name))


def password_field(page: Page, name: str = "Password") -> Locator:
    # A password input has no ARIA role; find it by its label.
    return page.get_by_label(field_name(name))


def button(page: Page, name: str) -> Locator:
    return page.get_by_role("button", name=name, exact=True)


def expect_signed_in(page: Page) -> None:
    expect(page).to_have_url(re.compile(r"/dashboard/?(\?.*)?$"))
    expect(page.get_by_role("heading", name="Home", exact=True)).to_be_visible()
    nav = page.get_by_role("navigation").filter(has=page.get_by_role("link", name="Meetings", exact=True))
    for name in ("Home", "Meetings", "Calendar", "Account"):
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(button(page, "Account menu")).to_be_visible()


def sign_up_and_verify(page: Page, mailbox: Mailbox, email: str, password: str) -> None:
    page.goto("/")
    page.get_by_role("link", name="Sign up", exact=True).click()
    expect(page).to_have_url(re.compile(r"/signup/?(\?.*)?$"))
    textbox(page, "Email").fill(email)
    password_field(page).fill(password)
    before = mailbox.newest(email)
    button(page, "Create account").click()

    expect(page).to_have_url(re.compile(r"/verify-email"))
    code = mailbox.wait_for_code(email, after=before)
    textbox(page, "Verification code").fill(code)
    button(page, "Verify").click()
    expect_signed_in(page)


def sign_out(page: Page) -> None:
    button(page, "Account menu").click()
    page.get_by_role("menuitem", name="Sign out", exact=True).click()
    expect(button(page, "Account menu")).to_have_count(0)
    # Signed out, the site root is the landing page again (signed in it would go to /meetings).
    page.goto("/")
    expect(page.get_by_role("link", name="Sign up", exact=True)).to_be_visible()
    page.get_by_role("link", name="Sign in", exact=True).click()
    expect(page).to_have_url(re.compile(r"/signin/?(\?.*)?$"))


def confirm_its_you(page: Page, password: str) -> None:
    """The password confirmation the server asks for before sensitive changes (allauth
    reauthentication): dialog "Confirm it's you", then the web app retries the action."""
    dialog = page.get_by_role("dialog", name="Confirm it's you")
    expect(dialog).to_be_visible()
    dialog.get_by_label(field_name("Password")).fill(password)
    dialog.get_by_role("button", name="Confirm", exact=True).click()
    expect(dialog).to_be_hidden()


def choose_option(page: Page, combobox: Locator, value: str) -> None:
    """Pick `value` in a combobox, whether it is a native <select>, an autocomplete or a listbox popup."""
    expect(combobox).to_be_editable()
    tag = combobox.evaluate("el => el.tagName")
    if tag == "SELECT":
        combobox.select_option(value)
        return
    if tag == "INPUT":
        combobox.fill(value)
    else:
        combobox.click()
    page.get_by_role("option", name=re.compile(re.escape(value))).first.click()


def expect_combobox_value(combobox: Locator, value: str) -> None:
    pattern = re.compile(re.escape(value))
    if combobox.evaluate("el => el.tagName") in ("SELECT", "INPUT"):
        expect(combobox).to_have_value(pattern)
    else:
        expect(combobox).to_have_text(pattern)


def read_totp_secret(page: Page) -> str:
    """The base32 secret shown beside the QR code (as text, or in a read-only field)."""
    holder = page.get_by_test_id("totp-secret")
    base32 = re.compile(r"[A-Z2-7]{4}")
    if holder.evaluate("el => el.tagName") in ("INPUT", "TEXTAREA"):
        expect(holder).to_have_value(base32)
        return holder.input_value()
    expect(holder).to_have_text(base32)
    return holder.inner_text()


def open_form(page: Page, route: str) -> None:
    page.goto(route)
    # Let the page load its data before typing, so a late form reset cannot eat the input.
    page.wait_for_load_state("networkidle")


def test_sign_up_verify_profile_two_factor_and_sign_in_again(page: Page, mailbox: Mailbox) -> None:
    email = unique_email("asha")
    sign_up_and_verify(page, mailbox, email, PASSWORD)

    # The site root sends a signed-in person to the meetings page.
    page.goto("/")
    expect_signed_in(page)

    # Account (navigation) and the profile.
    page.get_by_role("navigation").get_by_role("link", name="Account", exact=True).click()
    expect(page).to_have_url(re.compile(r"/account"))
    open_form(page, "/account/profile")
    full_name = textbox(page, "Full name")
    display_name = textbox(page, "Display name")
    time_zone = page.get_by_role("combobox", name=field_name("Time zone"))
    expect(full_name).to_be_editable()
    full_name.fill("Asha Rao-Iyer")
    display_name.fill("Asha R")
    choose_option(page, time_zone, "Asia/Kolkata")
    expect(full_name).to_have_value("Asha Rao-Iyer")
    expect(display_name).to_have_value("Asha R")
    expect_combobox_value(time_zone, "Asia/Kolkata")
    button(page, "Save profile").click()
    expect(page.get_by_text("Profile saved")).to_be_visible()

    page.reload()
    expect(textbox(page, "Full name")).to_have_value("Asha Rao-Iyer")
    expect(textbox(page, "Display name")).to_have_value("Asha R")
    expect_combobox_value(page.get_by_role("combobox", name=field_name("Time zone")), "Asia/Kolkata")

    # Security: turn on two-factor authentication with an authenticator app (TOTP).
    open_form(page, "/account/security")
    button(page, "Set up two-factor authentication").click()
    authenticator = Authenticator(read_totp_secret(page))
    code_field = textbox(page, "Authenticator code")
    expect(code_field).to_be_editable()
    # Enough of the window left for the password confirmation and the retried activation.
    code_field.fill(authenticator.new_code(min_seconds_left=20))
    button(page, "Activate").click()
    confirm_its_you(page, PASSWORD)
    expect(page.get_by_text("Two-factor authentication is on")).to_be_visible()

    # Sign out, then sign in with the password and a new code from the next window.
    sign_out(page)
    textbox(page, "Email").fill(email)
    password_field(page).fill(PASSWORD)
    button(page, "Sign in").click()
    expect(page).to_have_url(re.compile(r"/signin/2fa"))
    code_field = textbox(page, "Authenticator code")
    expect(code_field).to_be_editable()
    code_field.fill(authenticator.new_code())
    button(page, "Verify").click()
    expect_signed_in(page)

    # Still the same person, with the saved profile.
    open_form(page, "/account/profile")
    expect(textbox(page, "Full name")).to_have_value("Asha Rao-Iyer")


def test_sign_in_with_an_emailed_code(page: Page, mailbox: Mailbox) -> None:
    email = unique_email("ravi")
    sign_up_and_verify(page, mailbox, email, PASSWORD)
    sign_out(page)

    textbox(page, "Email").fill(email)
    before = mailbox.newest(email)
    button(page, "Email me a sign-in code").click()
    expect(page).to_have_url(re.compile(r"/signin/code"))
    code = mailbox.wait_for_code(email, after=before)
    textbox(page, "Code").fill(code)
    button(page, "Sign in").click()
    expect_signed_in(page)


def test_verify_a_phone_number_then_sign_in_with_an_sms_code(page: Page, mailbox: Mailbox) -> None:
    sign_up_and_verify(page, mailbox, unique_email("meera"), PASSWORD)

    # Profile: add the phone number and verify it with the code texted to it.
    open_form(page, "/account/profile")
    section = page.get_by_role("region", name="Phone number")
    expect(section.get_by_text("No phone number yet.")).to_be_visible()
    textbox(page, "Phone number").fill(PHONE)
    before = mailbox.newest(PHONE)
    button(page, "Send code").click()
    confirm_its_you(page, PASSWORD)
    code = mailbox.wait_for_code(PHONE, after=before)
    assert mailbox.newest(PHONE)["channel"] == "sms"
    textbox(page, "SMS code").fill(code)
    button(page, "Verify phone").click()
    expect(page.get_by_role("status").filter(has_text="Phone number verified")).to_be_visible()
    expect(section.get_by_text(PHONE, exact=True)).to_be_visible()
    expect(section.get_by_text("Verified", exact=True)).to_be_visible()

    # Sign out, then sign in with a code texted to the verified number.
    sign_out(page)
    button(page, "Use phone number").click()
    textbox(page, "Phone number").fill(PHONE)
    before = mailbox.newest(PHONE)
    button(page, "Text me a sign-in code").click()
    expect(page).to_have_url(re.compile(r"/signin/code"))
    code = mailbox.wait_for_code(PHONE, after=before)
    textbox(page, "Code").fill(code)
    button(page, "Sign in").click()
    expect_signed_in(page)
