import AccountCircleOutlined from "@mui/icons-material/AccountCircleOutlined";
import AdminPanelSettingsOutlined from "@mui/icons-material/AdminPanelSettingsOutlined";
import CalendarMonthOutlined from "@mui/icons-material/CalendarMonthOutlined";
import HomeOutlined from "@mui/icons-material/HomeOutlined";
import ReceiptLongOutlined from "@mui/icons-material/ReceiptLongOutlined";
import VideocamOutlined from "@mui/icons-material/VideocamOutlined";

export interface Section {
  label: string;
  icon: typeof VideocamOutlined;
  /** Absent for a section that is not built yet: it shows disabled, marked "Coming soon". */
  to?: string;
}

export const SECTIONS: Section[] = [
  { label: "Home", to: "/dashboard", icon: HomeOutlined },
  { label: "Meetings", to: "/meetings", icon: VideocamOutlined },
  { label: "Calendar", to: "/calendar", icon: CalendarMonthOutlined },
  { label: "Account", to: "/account", icon: AccountCircleOutlined },
  { label: "Billing", icon: ReceiptLongOutlined },
  { label: "Admin", icon: AdminPanelSettingsOutlined },
];
