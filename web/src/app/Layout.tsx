/**
 * The frame of every page: a header with the main navigation and the language switcher (a menu
 * on a phone), the page, and a footer saying which ledger the figures come from.
 */
import { useEffect, useRef } from 'react';
import {
  AppShell,
  Anchor,
  Burger,
  FocusTrap,
  Group,
  NativeSelect,
  Stack,
  Text,
  UnstyledButton,
  VisuallyHidden,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, NavLink, Outlet, ScrollRestoration, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useHealth } from '../lib/api';
import { Page } from '../components/Page';
import { useFormats, useLocale } from '../lib/locale-context';
import { isLocale, LOCALE_NAMES, LOCALE_TAGS, LOCALES } from '../i18n/locale';

const NAV = [
  { to: '/', key: 'portal', end: true },
  { to: '/donations', key: 'donations', end: false },
  { to: '/governance', key: 'governance', end: false },
  { to: '/explorer', key: 'explorer', end: false },
  { to: '/verify', key: 'verify', end: false },
  { to: '/me', key: 'applicant', end: false },
] as const;

function LanguageSwitch() {
  const { t } = useTranslation();
  const { locale, setLocale } = useLocale();
  return (
    <NativeSelect
      aria-label={t('language.label')}
      value={locale}
      onChange={(e) => {
        if (isLocale(e.currentTarget.value)) setLocale(e.currentTarget.value);
      }}
      data-testid="language"
      size="sm"
      miw={{ base: 176, sm: 170 }}
    >
      {LOCALES.map((l) => (
        <option key={l} value={l} lang={LOCALE_TAGS[l]}>
          {LOCALE_NAMES[l]}
        </option>
      ))}
    </NativeSelect>
  );
}

function NavLinks(props: { onNavigate?: () => void; vertical?: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      {NAV.map((n) => (
        <NavLink
          key={n.to}
          to={n.to}
          end={n.end}
          className="nav-link"
          onClick={props.onNavigate}
          data-vertical={props.vertical ? '' : undefined}
        >
          {t(`nav.${n.key}`)}
        </NavLink>
      ))}
    </>
  );
}

function Footer() {
  const { t } = useTranslation();
  const fmt = useFormats();
  const health = useHealth();
  return (
    <Stack component="footer" gap={4} py="lg" className="footer">
      <Text size="sm">{t('footer.note')}</Text>
      <Anchor component={Link} to="/staff" size="sm" data-testid="staff-link">
        {t('footer.staff')}
      </Anchor>
      {health.data && (
        <Text size="sm" className="footer-chain">
          {t('footer.chain')} <span className="mono">{health.data.chain}</span> ·{' '}
          {t('footer.size', {
            size: fmt.number(health.data.size),
            height: fmt.number(health.data.height),
          })}
        </Text>
      )}
    </Stack>
  );
}

export function Layout() {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure(false);
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  const burger = useRef<HTMLButtonElement>(null);
  const first = useRef(true);
  // After a navigation, move focus to the new page so keyboard and screen-reader users start
  // at its content (not on the first load: the browser handles that).
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus({ preventScroll: true });
  }, [location.pathname]);

  return (
    <AppShell
      header={{ height: 64 }}
      navbar={{ width: 260, breakpoint: 'md', collapsed: { desktop: true, mobile: !opened } }}
      padding="md"
    >
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              ref={burger}
              opened={opened}
              onClick={toggle}
              hiddenFrom="md"
              size="sm"
              aria-label={opened ? t('nav.closeMenu') : t('nav.openMenu')}
              aria-expanded={opened}
              aria-controls="mobile-nav"
            />
            <UnstyledButton component={Link} to="/" className="brand" onClick={close}>
              <img src="/favicon.svg" alt="" width={28} height={28} />
              {/* The name where there is room; on a phone the mark alone (named for screen
                  readers), so the language switch keeps room for its words. */}
              <Text component="span" inherit visibleFrom="sm">
                {t('appName')}
              </Text>
              <VisuallyHidden hiddenFrom="sm">{t('appName')}</VisuallyHidden>
            </UnstyledButton>
          </Group>
          <Group component="nav" aria-label={t('nav.label')} gap={4} visibleFrom="md">
            <NavLinks />
          </Group>
          <LanguageSwitch />
        </Group>
      </AppShell.Header>
      {/* The phone menu exists only while open: a collapsed one would still take focus. It
          is the navigation landmark itself (AppShell.Navbar is a nav), traps focus while it
          covers the page, and Escape closes it, giving focus back to the button. */}
      {opened && (
        <AppShell.Navbar p="md" id="mobile-nav" aria-label={t('nav.label')}>
          <FocusTrap active>
            <Stack
              gap={4}
              onKeyDown={(e) => {
                if (e.key === 'Escape') {
                  close();
                  burger.current?.focus();
                }
              }}
            >
              <NavLinks onNavigate={close} vertical />
            </Stack>
          </FocusTrap>
        </AppShell.Navbar>
      )}
      <AppShell.Main id="main" ref={main} tabIndex={-1} className="shell-main">
        <div className="main">
          <Outlet />
        </div>
        <Footer />
      </AppShell.Main>
      <ScrollRestoration />
    </AppShell>
  );
}

export function NotFound() {
  const { t } = useTranslation();
  return (
    <Page title={t('status.notFound')}>
      <Text>{t('status.notFoundText')}</Text>
      <Anchor component={Link} to="/">
        {t('status.home')}
      </Anchor>
    </Page>
  );
}
