import { Navigate, type RouteObject } from "react-router";
import { LazyCalendarPage } from "../features/calendar/components/LazyCalendarPage";
import { AccountLayout } from "../features/account/components/AccountLayout";
import { AddressesPage } from "../features/account/components/AddressesPage";
import { BankAccountPage } from "../features/account/components/BankAccountPage";
import { OrganisationPage } from "../features/account/components/OrganisationPage";
import { ProfilePage } from "../features/account/components/ProfilePage";
import { SecurityPage } from "../features/account/components/SecurityPage";
import { CodeSignInPage } from "../features/auth/components/CodeSignInPage";
import { ForgotPasswordPage } from "../features/auth/components/ForgotPasswordPage";
import { ReauthProvider } from "../features/auth/components/ReauthProvider";
import { SessionGate } from "../features/auth/components/SessionGate";
import { SignInPage } from "../features/auth/components/SignInPage";
import { SignUpPage } from "../features/auth/components/SignUpPage";
import { ProviderCallback } from "../features/auth/components/SocialButtons";
import { SocialSignUpPage } from "../features/auth/components/SocialSignUpPage";
import { TwoFactorPage } from "../features/auth/components/TwoFactorPage";
import { VerifyEmailPage } from "../features/auth/components/VerifyEmailPage";
import { DashboardPage } from "../features/dashboard/components/DashboardPage";
import { LandingPage } from "../features/landing/components/LandingPage";
import { MeetingJoinPage } from "../features/meetings/components/MeetingJoinPage";
import { MeetingsPage } from "../features/meetings/components/MeetingsPage";
import { NotificationSettingsPage } from "../features/notifications/components/NotificationSettingsPage";
import { RsvpPage } from "../features/rsvp/components/RsvpPage";
import { UnsubscribePage } from "../features/rsvp/components/UnsubscribePage";
import { AppShell } from "../features/shell/components/AppShell";


export const routes: RouteObject[] = [
  {
    element: <SessionGate require="anonymous" />,
    children: [
      { path: "/", element: <LandingPage /> },
      { path: "/signup", element: <SignUpPage /> },
      { path: "/signup/social", element: <SocialSignUpPage /> },
      { path: "/verify-email", element: <VerifyEmailPage /> },
      { path: "/signin", element: <SignInPage /> },
      { path: "/signin/code", element: <CodeSignInPage /> },
      { path: "/signin/2fa", element: <TwoFactorPage /> },
      { path: "/signin/callback", element: <ProviderCallback /> },
      { path: "/forgot-password", element: <ForgotPasswordPage /> },
    ],
  },
  {
    element: <SessionGate require="authenticated" />,
    children: [
      {
        element: (
          <ReauthProvider>
            <AppShell />
          </ReauthProvider>
        ),
        children: [
          { path: "/dashboard", element: <DashboardPage /> },
          { path: "/meetings", element: <MeetingsPage /> },
          { path: "/calendar", element: <LazyCalendarPage /> },
          {
            path: "/account",
            element: <AccountLayout />,
            children: [
              { index: true, element: <Navigate to="profile" replace /> },
              { path: "profile", element: <ProfilePage /> },
              { path: "security", element: <SecurityPage /> },
              { path: "addresses", element: <AddressesPage /> },
              { path: "bank", element: <BankAccountPage /> },
              { path: "organisation", element: <OrganisationPage /> },
              { path: "notifications", element: <NotificationSettingsPage /> },
            ],
          },
        ],
      },
    ],
  },
  // Signed in or not (guests join by link): the page asks the session itself.
  { path: "/m/:code", element: <MeetingJoinPage /> },
  // Links from emails: the token is the credential, signed in or not.
  { path: "/rsvp/:token", element: <RsvpPage /> },
  { path: "/unsubscribe/:token", element: <UnsubscribePage /> },
  { path: "*", element: <Navigate to="/" replace /> },
];
