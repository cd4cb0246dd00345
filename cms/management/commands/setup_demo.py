"""`manage.py setup_demo`: migrate, load the demo profile and its content, create the demo accounts.

Safe to run any number of times: nothing is duplicated, and the printed logins stay valid.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from cms.models import DepartmentRole, Portal
from cms.plugins.registry import optional_module

# Demo accounts besides the superuser: (username, department code, role, description).
DEMO_USERS = [
    ("xingjing_editor", "xingjing", DepartmentRole.EDITORS, "刑警支队编辑 (can edit 网上通缉, not 警务要闻)"),
    ("xuanchuan_editor", "xuanchuan", DepartmentRole.EDITORS, "政治部宣传科编辑 (警务要闻, 警队文化 ...)"),
    ("xuanchuan_head", "xuanchuan", DepartmentRole.HEADS, "政治部宣传科负责人 (approves its department's items)"),
    ("mishu_admin", "mishu", DepartmentRole.ADMINS, "指挥中心秘书科栏目管理员 (publishes, reviews 县区动态)"),
    ("baomi_head", "baomi", DepartmentRole.HEADS, "保密委员会办公室负责人 (secrecy review, clears findings)"),
    ("juling_leader", "juling", DepartmentRole.HEADS, "局领导 (approves documents, leaders' activities, meetings)"),
]


class Command(BaseCommand):
    help = "Set up the demo portal: migrate, load a profile with demo content, create and print the logins."

    def add_arguments(self, parser):
        parser.add_argument("--profile", default="ankang")
        parser.add_argument("--no-demo-content", action="store_true")

    def handle(self, *args, profile, no_demo_content, **options):
        self.stdout.write("[1/4] migrating the database ...")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"[2/4] loading profile {profile} ...")
        call_command("load_profile", profile, stdout=self.stdout, stderr=self.stderr)
        if not no_demo_content:
            self.stdout.write("[3/4] adding demo content ...")
            call_command("load_demo", profile, stdout=self.stdout, stderr=self.stderr)
        self.stdout.write("[4/4] demo accounts ...")
        password = self._password()
        with transaction.atomic():
            self._user("admin", password, superuser=True)
            portal = Portal.objects.get(profile=profile)
            for username, code, role, _desc in DEMO_USERS:
                department = portal.departments.filter(code=code).first()
                if department is None:
                    continue
                user = self._user(username, password)
                user.groups.add(department.group(role))
        if not no_demo_content:
            self._plugin_demos(profile)  # after the accounts: plugins act as the demo administrator
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        self.stdout.write(self.style.SUCCESS("\nSunlight demo portal is ready."))
        self.stdout.write(f"  portal:  {base}/")
        self.stdout.write(f"  admin:   {base}/admin/   user: admin   password: {password}")
        self.stdout.write(f"  API:     {base}/api/")
        for username, _code, _role, desc in DEMO_USERS:
            self.stdout.write(f"  also:    {username:<17} password: {password}   {desc}")

    def _plugin_demos(self, profile: str) -> None:
        """Let each plugin with a demo module add its demo data (requests, letters ...) to the portal."""
        from cms.plugins.registry import registry

        portal = Portal.objects.get(profile=profile)
        for plugin in registry:
            module = optional_module(plugin.module, plugin.config.demo_module)
            if module is None or not hasattr(module, "load_demo"):
                continue
            with transaction.atomic():
                created = module.load_demo(portal)
            self.stdout.write(f"      {plugin.label}: {len(created)} demo records created")

    def _password(self) -> str:
        """The demo password, kept in var/ so a second run prints the same working login."""
        path = settings.VAR_DIR / "demo-admin-password.txt"
        if path.is_file() and path.read_text().strip():
            return path.read_text().strip()
        password = secrets.token_urlsafe(12)
        path.write_text(password + "\n")
        path.chmod(0o600)
        return password

    def _user(self, username: str, password: str, superuser: bool = False):
        User = get_user_model()
        user, created = User.objects.get_or_create(username=username, defaults={"is_active": True})
        if created or not user.check_password(password):
            user.set_password(password)
        user.is_active = True
        user.is_staff = user.is_staff or superuser
        user.is_superuser = user.is_superuser or superuser
        user.save()
        return user
