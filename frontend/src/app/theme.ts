import { createTheme } from "@mui/material";

export const theme = createTheme({
  palette: {
    primary: { main: "#1f5fbf" },
    secondary: { main: "#0f8a7e" },
    background: { default: "#f5f7fb" },
  },
  shape: { borderRadius: 10 },
  typography: {
    fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
    button: { textTransform: "none", fontWeight: 600 },
  },
  components: {
    MuiCssBaseline: {
      styleOverrides: {
        // Keyboard focus is always visible.
        "a:focus-visible, button:focus-visible, [role='tab']:focus-visible, [tabindex]:focus-visible": {
          outline: "3px solid #1f5fbf",
          outlineOffset: 2,
        },
      },
    },
    MuiTextField: { defaultProps: { fullWidth: true } },
  },
});
