"""An outlet kind contributed by the sample plugin: a pager that receives only the title and link."""

from cms.outlets.registry import OutletItem, OutletKind


class SampleOutletKind(OutletKind):
    """A test outlet kind (code `sample_pager`) added through `PluginConfig.outlet_kinds`."""

    code = "sample_pager"
    label = "Sample pager"

    def render(self, item: OutletItem) -> dict:
        """The title and the link, nothing else."""
        return {"message": f"{item.title} {item.url}"}
