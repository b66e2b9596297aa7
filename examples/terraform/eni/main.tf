# The Terraform provider's documented alicloud_ecs_network_interface example
# (website/docs/r/ecs_network_interface.html.markdown, "Basic Usage"), unchanged, pointed at a
# local eniplane; then an instance, the ENI's attachment, an EIP and its association.
# See README.md for how to run it.

terraform {
  required_providers {
    alicloud = {
      source = "aliyun/alicloud"
    }
  }
}

variable "eniplane_endpoint" {
  description = "host:port of eniplane's API (serve --port)"
  default     = "127.0.0.1:8080"
}

provider "alicloud" {
  region   = "cn-hangzhou"
  protocol = "HTTP"

  # No start-up lookups against Alibaba Cloud: skip_region_validation skips the region check and
  # the STS GetCallerIdentity call made with it; account_type skips the BssOpenApi probe that
  # guesses it; account_id answers the lookups that would otherwise ask STS for it.
  skip_region_validation = true
  account_type           = "Domestic"
  account_id             = "1202299047880328" # any ID: eniplane reports its own as OwnerId

  # Every product this configuration uses, on eniplane's one endpoint.
  endpoints {
    ecs             = var.eniplane_endpoint
    vpc             = var.eniplane_endpoint
    resourcemanager = var.eniplane_endpoint
    sts             = var.eniplane_endpoint
  }
}

# ---- The documented example, verbatim ----------------------------------------------------

variable "name" {
  default = "tf-example"
}

resource "alicloud_vpc" "default" {
  vpc_name   = var.name
  cidr_block = "192.168.0.0/24"
}

data "alicloud_zones" "default" {
  available_resource_creation = "VSwitch"
}

resource "alicloud_vswitch" "default" {
  vswitch_name = var.name
  cidr_block   = "192.168.0.0/24"
  zone_id      = data.alicloud_zones.default.zones.0.id
  vpc_id       = alicloud_vpc.default.id
}

resource "alicloud_security_group" "default" {
  security_group_name = var.name
  vpc_id              = alicloud_vpc.default.id
}

data "alicloud_resource_manager_resource_groups" "default" {
  status = "OK"
}

resource "alicloud_ecs_network_interface" "default" {
  network_interface_name = var.name
  vswitch_id             = alicloud_vswitch.default.id
  security_group_ids     = [alicloud_security_group.default.id]
  description            = "Basic test"
  primary_ip_address     = "192.168.0.2"
  tags = {
    Created = "TF",
    For     = "Test",
  }
  resource_group_id = data.alicloud_resource_manager_resource_groups.default.ids.0
}

# ---- Beyond the documented example: attach the ENI to an instance and give it an EIP ---------

resource "alicloud_instance" "default" {
  instance_name        = var.name
  image_id             = "aliyun_3_x64_20G_alibase_20240819.vhd"
  instance_type        = "ecs.g7.large"
  system_disk_category = "cloud_efficiency"
  security_groups      = [alicloud_security_group.default.id]
  vswitch_id           = alicloud_vswitch.default.id
}

resource "alicloud_ecs_network_interface_attachment" "default" {
  network_interface_id = alicloud_ecs_network_interface.default.id
  instance_id          = alicloud_instance.default.id
}

resource "alicloud_eip_address" "default" {
  address_name         = var.name
  isp                  = "BGP"
  internet_charge_type = "PayByBandwidth"
  payment_type         = "PayAsYouGo"
}

resource "alicloud_eip_association" "default" {
  allocation_id      = alicloud_eip_address.default.id
  instance_type      = "NetworkInterface"
  instance_id        = alicloud_ecs_network_interface.default.id
  private_ip_address = alicloud_ecs_network_interface.default.primary_ip_address
  depends_on         = [alicloud_ecs_network_interface_attachment.default]
}

output "network_interface_id" {
  value = alicloud_ecs_network_interface.default.id
}

output "eip_address" {
  value = alicloud_eip_address.default.ip_address
}
